package comfyapi

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

type eventLog struct {
	mu     sync.Mutex
	events []Event
}

func (l *eventLog) add(ev Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
}

func (l *eventLog) types() map[string]int {
	l.mu.Lock()
	defer l.mu.Unlock()
	m := map[string]int{}
	for _, ev := range l.events {
		m[ev.Type]++
	}
	return m
}

func submitAndWait(t *testing.T, f *fakeComfy, c *Client) (*Outcome, *eventLog) {
	t.Helper()
	ctx := testCtx(t)
	res, err := c.Submit(ctx, invertGraph(t), nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.PromptID != f.tr.promptID {
		t.Fatalf("prompt id %q, want %q", res.PromptID, f.tr.promptID)
	}
	var log eventLog
	out, err := c.Wait(ctx, res.PromptID, log.add)
	if err != nil {
		t.Fatal(err)
	}
	return out, &log
}

func TestWaitSuccessFromTranscript(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
	c := f.client(t)
	out, log := submitAndWait(t, f, c)
	if out.Status != StatusSuccess || out.Error != nil {
		t.Fatalf("outcome %+v", out)
	}
	want := FileRef{NodeID: "3", Key: "images", Filename: "capture_invert_00001_.png", Subfolder: "", Type: "output"}
	if len(out.Outputs) != 1 || out.Outputs[0] != want {
		t.Fatalf("outputs %+v, want %+v", out.Outputs, want)
	}
	types := log.types()
	for _, ty := range []string{EventExecutionStart, EventExecutionCached, EventExecuting, EventProgressState, EventExecuted, EventExecutionSuccess} {
		if types[ty] == 0 {
			t.Errorf("no %s event seen (got %v)", ty, types)
		}
	}
	// The whole-workflow percent never goes backwards and ends at 100.
	last := -1.0
	for _, ev := range log.events {
		if !ev.PercentKnown {
			continue
		}
		if ev.Percent < last {
			t.Errorf("percent went back from %v to %v at %s", last, ev.Percent, ev.Type)
		}
		last = ev.Percent
	}
	if last != 100 {
		t.Errorf("final percent %v, want 100", last)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if got := f.prompts[0]["client_id"]; got != c.ClientID() {
		t.Errorf("submit client_id %v, want %v", got, c.ClientID())
	}
	if extra, _ := f.prompts[0]["extra_data"].(map[string]any); extra["client_id"] != c.ClientID() {
		t.Errorf("extra_data.client_id %v", extra["client_id"])
	}
}

func TestWaitExecutionErrorFromTranscript(t *testing.T) {
	f := newFakeComfy(t, "ws_run_fail_loadimage.jsonl", "history_failed.json")
	out, _ := submitAndWait(t, f, f.client(t))
	if out.Status != StatusError || out.Error == nil {
		t.Fatalf("outcome %+v", out)
	}
	e := out.Error
	if e.NodeID != "1" || e.NodeType != "LoadImage" || e.ExceptionType != "PIL.UnidentifiedImageError" || len(e.Traceback) == 0 {
		t.Fatalf("error %+v", e)
	}
	if len(out.Outputs) != 0 {
		t.Fatalf("a failed run has outputs: %+v", out.Outputs)
	}
}

func TestWaitRetriesLaggingHistory(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
	f.historyLag = 3
	out, _ := submitAndWait(t, f, f.client(t))
	if out.Status != StatusSuccess || len(out.Outputs) != 1 {
		t.Fatalf("outcome %+v", out)
	}
}

func TestWaitReconcilesWhenSocketCut(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
	f.cutAfter = 5 // before execution_success
	out, _ := submitAndWait(t, f, f.client(t))
	if out.Status != StatusSuccess || len(out.Outputs) != 1 {
		t.Fatalf("outcome %+v", out)
	}
}

func TestWaitSurvivesDroppedMessages(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
	f.drop = func(i int) bool { return i%3 == 0 } // a third of the run, terminal included
	out, _ := submitAndWait(t, f, f.client(t))
	if out.Status != StatusSuccess || len(out.Outputs) != 1 {
		t.Fatalf("outcome %+v", out)
	}
}

func TestWaitInterruptedFromHistory(t *testing.T) {
	f := newFakeComfy(t, "ws_run_interrupted_global.jsonl", "history_interrupted.json")
	out, _ := submitAndWait(t, f, f.client(t))
	if out.Status != StatusInterrupted {
		t.Fatalf("outcome %+v", out)
	}
}

// A server that restarted knows neither the prompt's history nor its queue
// entry: Wait says the prompt is lost instead of polling until its deadline.
func TestWaitDeclaresForgottenPromptLost(t *testing.T) {
	f := newFakeComfy(t, "ws_observer_other_client.jsonl", "")
	f.tr.promptID = "forgotten"
	f.routes["/queue"] = func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"queue_running": [], "queue_pending": []}`))
	}
	c := f.client(t)
	out, err := c.Wait(testCtx(t), "forgotten", nil)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != StatusError || out.Error == nil || out.Error.ExceptionType != "lost" {
		t.Fatalf("outcome %+v", out)
	}
}
