package local

import (
	"context"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// watchAllPoll is how often the server-wide view looks at the queue while nothing runs.
const watchAllPoll = time.Second

// watchAll is Watch without a prompt id: the server's activity until ctx ends. It
// reports the queue length when it changes, and follows each prompt that starts running
// to its end (with the events the server lets this client see, and the outcome from
// history, errors included). ComfyUI runs one prompt at a time, so one is followed at a
// time.
func (p *Provider) watchAll(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	lastQueue, followed := -1, map[string]bool{}
	for ctx.Err() == nil {
		q, err := c.Queue(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return serverError(c, "Cannot read the queue", err)
		}
		if n := len(q.Running) + len(q.Pending); n != lastQueue {
			lastQueue = n
			onEvent(plugins.Event{Kind: plugins.EventQueued, QueueRemaining: n, UnixMillis: time.Now().UnixMilli()})
		}
		if len(q.Running) > 0 && !followed[q.Running[0].PromptID] {
			id := q.Running[0].PromptID
			followed[id] = true
			lastQueue = -1 // report the queue afresh once it ends
			if d := p.follow(ctx, c, id, req.PreviewsDir, onEvent); d.HasErrors() {
				return d
			}
			continue
		}
		select {
		case <-ctx.Done():
		case <-time.After(watchAllPoll):
		}
	}
	return nil
}

// follow relays one prompt's events, the queue length the server broadcasts meanwhile,
// and the prompt's outcome.
func (p *Provider) follow(ctx context.Context, c *comfyapi.Client, id, previewsDir string, onEvent func(plugins.Event)) plugins.Diagnostics {
	var previews int
	onEvent(plugins.Event{Kind: plugins.EventStarted, PromptID: id, UnixMillis: time.Now().UnixMilli()})
	out, err := c.Wait(ctx, id, func(ev comfyapi.Event) {
		if ev.Type == comfyapi.EventStatus {
			onEvent(plugins.Event{Kind: plugins.EventQueued, PromptID: id, QueueRemaining: ev.QueueRemaining, UnixMillis: time.Now().UnixMilli()})
			return
		}
		pe, ok := translateEvent(ev)
		if !ok || pe.Kind == plugins.EventStarted {
			return
		}
		if ev.Preview != nil && previewsDir != "" {
			previews++
			pe.PreviewPath = savePreview(previewsDir, id, previews, ev.Preview)
		}
		onEvent(pe)
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return serverError(c, "Lost track of prompt "+id, err)
	}
	onEvent(outcomeEvent(out))
	return nil
}
