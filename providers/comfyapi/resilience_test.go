package comfyapi

import (
	"math/rand/v2"
	"testing"
	"time"
)

// Messages do get lost: with 30 % of the run's frames dropped (seeded, so
// every run of the test sees the same losses) the outcome and outputs are
// still right, via history.
func TestWaitWithThirtyPercentDropped(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
		rng := rand.New(rand.NewPCG(seed, seed))
		dropped := map[int]bool{}
		for i := range f.tr.frames {
			dropped[i] = rng.Float64() < 0.3
		}
		f.drop = func(i int) bool { return dropped[i] }
		out, _ := submitAndWait(t, f, f.client(t))
		if out.Status != StatusSuccess || len(out.Outputs) != 1 || out.Outputs[0].Filename != "capture_invert_00001_.png" {
			t.Fatalf("seed %d: outcome %+v", seed, out)
		}
	}
}

// A socket cut after N messages is redialled, and the run still ends with
// its outputs.
func TestWaitAfterSocketCutAtEveryPoint(t *testing.T) {
	n := len(loadTranscript(t, "ws_run_success_invert.jsonl").frames)
	for cut := 1; cut < n; cut++ {
		f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
		f.cutAfter = cut
		c := f.client(t)
		out, _ := submitAndWait(t, f, c)
		if out.Status != StatusSuccess || len(out.Outputs) != 1 {
			t.Fatalf("cut after %d: outcome %+v", cut, out)
		}
	}
}

func TestSocketReconnects(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
	f.cutAfter = 2
	c := f.client(t)
	submitAndWait(t, f, c)
	// Redials happen with backoff; wait for one without timing assertions.
	ctx := testCtx(t)
	for f.socketCount() < 2 {
		if err := sleepCapped(ctx, 0, 10*time.Millisecond); err != nil {
			t.Fatal("socket was not redialled")
		}
		if ctx.Err() != nil {
			t.Fatal(ctx.Err())
		}
	}
}
