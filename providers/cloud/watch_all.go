package cloud

import (
	"context"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// watchAllPoll is how often the account-wide view looks at the queue.
const watchAllPoll = time.Second

// watchAll is Watch without a prompt id: the account's activity on Cloud until ctx
// ends. It reports the queue length when it changes and follows every job it sees
// queued or running, concurrently (a tier runs several at once, and Cloud's socket
// carries every job of the account), each to its outcome. Events reach onEvent one at
// a time.
func (p *Provider) watchAll(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	var mu sync.Mutex
	emit := func(ev plugins.Event) {
		mu.Lock()
		defer mu.Unlock()
		onEvent(ev)
	}
	var wg sync.WaitGroup
	defer wg.Wait()
	known := map[string]bool{}
	lastQueue := -1
	for ctx.Err() == nil {
		q, err := c.Queue(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return p.fail("Cannot read the Comfy Cloud queue", err)
		}
		if n := len(q.Running) + len(q.Pending); n != lastQueue {
			lastQueue = n
			emit(plugins.Event{Kind: plugins.EventQueued, QueueRemaining: n, UnixMillis: time.Now().UnixMilli()})
		}
		for _, it := range append(append([]comfyapi.QueueItem(nil), q.Running...), q.Pending...) {
			if known[it.PromptID] {
				continue
			}
			known[it.PromptID] = true
			wg.Add(1)
			go func(id string) {
				defer wg.Done()
				p.followJob(ctx, c, id, req.PreviewsDir, emit)
			}(it.PromptID)
		}
		select {
		case <-ctx.Done():
		case <-time.After(watchAllPoll):
		}
	}
	return nil
}

// followJob relays one job's events and its outcome; a job the view stops watching
// (ctx ended) reports nothing more.
func (p *Provider) followJob(ctx context.Context, c *comfyapi.Client, id, previewsDir string, emit func(plugins.Event)) {
	emit(plugins.Event{Kind: plugins.EventQueued, PromptID: id, UnixMillis: time.Now().UnixMilli()})
	var previews int
	out, err := c.Wait(ctx, id, func(ev comfyapi.Event) {
		pe, ok := bridge.Event(ev)
		if !ok {
			return
		}
		if ev.Preview != nil && previewsDir != "" {
			previews++
			pe.PreviewPath = savePreview(previewsDir, id, previews, ev.Preview)
		}
		emit(pe)
	})
	if err != nil {
		if ctx.Err() == nil {
			p.log.Debug("stopped following job", "prompt_id", id, "error", err)
		}
		return
	}
	emit(outcomeEvent(out))
}
