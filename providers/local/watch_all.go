package local

import (
	"context"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// watchAllPoll is how often the server-wide view looks at the queue while idle.
const watchAllPoll = time.Second

// watchAll is Watch without a prompt id: the server's activity until ctx ends. It
// reports each prompt it sees queued (an event with the prompt's id) and the queue length
// when it changes, and follows, in queue order, every prompt it has seen to its end: the
// events the server lets this client see (ComfyUI sends per-node events only to the
// submitter's socket; progress and previews of prompts queued without a client id reach
// everyone) and the outcome from history, errors included. The queue is read again on
// every status broadcast, so prompts queued while another runs are not missed. A prompt
// removed from the queue before it ran is skipped silently.
func (p *Provider) watchAll(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	w := &serverWatch{c: c, onEvent: onEvent, lastQueue: -1, known: map[string]bool{}, done: map[string]bool{}}
	for ctx.Err() == nil {
		q, err := w.poll(ctx)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return serverError(c, "Cannot read the queue", err)
		}
		if next := w.next(); next != "" && !idSet(q.Pending)[next] {
			w.done[next] = true
			gone := !idSet(q.Running)[next]
			if d := p.follow(ctx, c, next, req.PreviewsDir, gone, w); d.HasErrors() {
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

// serverWatch is watchAll's memory: prompts seen, in order, and those already followed.
// It is used from one goroutine (Wait calls back synchronously).
type serverWatch struct {
	c         *comfyapi.Client
	onEvent   func(plugins.Event)
	lastQueue int
	order     []string
	known     map[string]bool
	done      map[string]bool
}

// poll reads the queue, reports prompts not seen before and the queue length if it
// changed.
func (w *serverWatch) poll(ctx context.Context) (*comfyapi.Queue, error) {
	q, err := w.c.Queue(ctx)
	if err != nil {
		return nil, err
	}
	n := len(q.Running) + len(q.Pending)
	for _, it := range append(append([]comfyapi.QueueItem(nil), q.Running...), q.Pending...) {
		if !w.known[it.PromptID] {
			w.known[it.PromptID] = true
			w.order = append(w.order, it.PromptID)
			w.onEvent(plugins.Event{Kind: plugins.EventQueued, PromptID: it.PromptID, QueueRemaining: n, UnixMillis: time.Now().UnixMilli()})
		}
	}
	if n != w.lastQueue {
		w.lastQueue = n
		w.onEvent(plugins.Event{Kind: plugins.EventQueued, QueueRemaining: n, UnixMillis: time.Now().UnixMilli()})
	}
	return q, nil
}

func (w *serverWatch) next() string {
	for _, id := range w.order {
		if !w.done[id] {
			return id
		}
	}
	return ""
}

// follow relays one prompt's events and its outcome; status broadcasts meanwhile make w
// read the queue. gone says the prompt has left the queue: it either finished (history
// has it) or was cancelled before it ran (then nothing is reported).
func (p *Provider) follow(ctx context.Context, c *comfyapi.Client, id, previewsDir string, gone bool, w *serverWatch) plugins.Diagnostics {
	if gone {
		if h, err := c.History(ctx, id); err != nil || h == nil {
			return nil
		}
	}
	var previews int
	w.onEvent(plugins.Event{Kind: plugins.EventStarted, PromptID: id, UnixMillis: time.Now().UnixMilli()})
	out, err := c.Wait(ctx, id, func(ev comfyapi.Event) {
		if ev.Type == comfyapi.EventStatus {
			_, _ = w.poll(ctx) // best effort; the main loop reads the queue again anyway
			return
		}
		pe, ok := bridge.Event(ev)
		if !ok || pe.Kind == plugins.EventStarted {
			return
		}
		if ev.Preview != nil && previewsDir != "" {
			previews++
			pe.PreviewPath = savePreview(previewsDir, id, previews, ev.Preview)
		}
		w.onEvent(pe)
	})
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return serverError(c, "Lost track of prompt "+id, err)
	}
	w.onEvent(bridge.OutcomeEvent(out, bridge.ExecutionError))
	return nil
}
