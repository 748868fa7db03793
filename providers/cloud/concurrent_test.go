package cloud

import (
	"strings"
	"sync"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestConcurrentJobsSeeOnlyTheirEvents: Cloud broadcasts every job of the account to
// every socket, whatever its clientId. Two providers (two sockets) run a job each on
// a creator tier (3 at once); each Watch relays only its own prompt's events and each
// Fetch returns its own output.
func TestConcurrentJobsSeeOnlyTheirEvents(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{Tier: "creator"})
	a, _ := serve(t, sim.URL(), map[string]any{"concurrency": 3})
	b, _ := serve(t, sim.URL(), map[string]any{"concurrency": 3})
	ctx := testCtx(t)
	var wg sync.WaitGroup
	for i, p := range []plugins.Provider{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			graph := strings.Replace(txt2img, `"seed": 42`, `"seed": 4`+string(rune('0'+i)), 1)
			sub, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(graph)})
			if d.HasErrors() {
				t.Error(d)
				return
			}
			var kinds []plugins.EventKind
			d = p.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID}, func(ev plugins.Event) {
				if ev.PromptID != sub.PromptID {
					t.Errorf("provider %d got an event of %s while watching %s", i, ev.PromptID, sub.PromptID)
				}
				kinds = append(kinds, ev.Kind)
			})
			if d.HasErrors() || len(kinds) == 0 || kinds[len(kinds)-1] != plugins.EventSucceeded {
				t.Errorf("provider %d: %v %v", i, kinds, d)
				return
			}
			res, d := p.Fetch(ctx, plugins.FetchRequest{PromptID: sub.PromptID, OutputDir: t.TempDir()})
			if d.HasErrors() || len(res.Files) != 1 {
				t.Errorf("provider %d fetch: %+v %v", i, res, d)
			}
		}()
	}
	wg.Wait()
	if n := sim.Stats().Submits; n != 2 {
		t.Errorf("%d submits", n)
	}
}
