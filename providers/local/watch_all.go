package local

import (
	"context"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// watchAllPoll is how often the server-wide view looks at the queue.
const watchAllPoll = time.Second

// watchAll is Watch without a prompt id: the server's activity until ctx ends. It
// reports the queue length when it changes and follows, in queue order, every prompt it
// has seen queued or running, to its end: the events the server lets this client see
// (ComfyUI sends per-node events only to the submitter's socket; progress and previews
// of prompts queued without a client id reach everyone) and the outcome from history,
// errors included. A prompt removed from the queue before it ran is skipped silently.
func (p *Provider) watchAll(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	lastQueue := -1
	var order []string
	known, done := map[string]bool{}, map[string]bool{}
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
		pending := idSet(q.Pending)
		for _, it := range append(append([]comfyapi.QueueItem(nil), q.Running...), q.Pending...) {
			if !known[it.PromptID] {
				known[it.PromptID] = true
				order = append(order, it.PromptID)
			}
		}
		next := ""
		for _, id := range order {
			if !done[id] {
				next = id
				break
			}
		}
		if next != "" && !pending[next] {
			done[next] = true
			lastQueue = -1 // report the queue afresh afterwards
			if d := p.follow(ctx, c, next, req.PreviewsDir, !idSet(q.Running)[next], onEvent); d.HasErrors() {
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
// and the prompt's outcome. gone says the prompt has left the queue: it either finished
// (history has it) or was cancelled before it ran (then nothing is reported).
func (p *Provider) follow(ctx context.Context, c *comfyapi.Client, id, previewsDir string, gone bool, onEvent func(plugins.Event)) plugins.Diagnostics {
	if gone {
		if h, err := c.History(ctx, id); err != nil || h == nil {
			return nil
		}
	}
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
