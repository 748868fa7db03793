package cloud

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestWatchAllFollowsTheAccountsJobs: a Watch without a prompt id reports jobs
// another client submits, to their outcome; it ends when its context does. The jobs
// are submitted once the view has looked at the queue, and last a few of its polls.
func TestWatchAllFollowsTheAccountsJobs(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{Tier: "creator", Faults: comfysim.Faults{StepDelay: 20 * time.Millisecond}})
	watcher, _ := serve(t, sim.URL(), nil)
	submitter, _ := serve(t, sim.URL(), nil)
	ctx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	slow := strings.Replace(txt2img, `"steps": 4`, `"steps": 150`, 1)
	var mu sync.Mutex
	var ids []string
	ends := map[string]plugins.EventKind{}
	var once sync.Once
	submitted := make(chan struct{})
	d := watcher.Watch(ctx, plugins.WatchRequest{}, func(ev plugins.Event) {
		once.Do(func() {
			go func() {
				defer close(submitted)
				for _, seed := range []string{"1", "2"} {
					sub, d := submitter.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(strings.Replace(slow, `"seed": 42`, `"seed": `+seed, 1))})
					if d.HasErrors() {
						t.Error(d)
						cancel()
						return
					}
					mu.Lock()
					ids = append(ids, sub.PromptID)
					mu.Unlock()
				}
			}()
		})
		if !ev.Kind.Terminal() {
			return
		}
		mu.Lock()
		defer mu.Unlock()
		ends[ev.PromptID] = ev.Kind
		if len(ends) == 2 {
			cancel()
		}
	})
	<-submitted
	if d.HasErrors() && ctx.Err() == nil { // a cancelled stream ends with a transport diagnostic
		t.Fatal(d)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		if ends[id] != plugins.EventSucceeded {
			t.Errorf("job %s ended %v in the account-wide view", id, ends[id])
		}
	}
	if len(ids) != 2 {
		t.Errorf("submitted %v", ids)
	}
}
