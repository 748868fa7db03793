package comfyapi

import (
	"context"
	"fmt"
	"time"
)

// historyLagTries bounds how long Wait keeps asking /history after a
// terminal event: the server pushes execution_success before it writes the
// history entry, so the first read can come back empty.
const historyLagTries = 12

// Wait follows promptID until it ends and returns how it ended. onEvent
// (optional) sees every event for this prompt, plus status broadcasts. The
// socket is trusted for speed; /history is the source of truth: it is read
// after every terminal event, whenever the socket drops, and whenever the
// socket has been quiet for QuietInterval.
func (c *Client) Wait(ctx context.Context, promptID string, onEvent func(Event)) (*Outcome, error) {
	sub := c.hub.subscribe(promptID)
	defer c.hub.unsubscribe(sub)
	defer c.hub.forget(promptID)
	c.hub.ensureConnected(ctx)

	track := newProgressTracker(c.nodeCount(promptID))
	var seen []FileRef // outputs announced by executed events
	quiet := time.NewTimer(c.cfg.QuietInterval)
	defer quiet.Stop()
	absent := 0 // consecutive quiet polls that found the prompt nowhere
	for {
		var reconcile, quietPoll bool
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case ev := <-sub.events:
			track.observe(&ev)
			seen = append(seen, ev.Outputs...)
			if onEvent != nil {
				onEvent(ev)
			}
			if ev.Terminal() {
				return c.settle(ctx, promptID, ev, seen)
			}
			// The final executing{node:null} follows the history write.
			reconcile = ev.Type == EventExecuting && ev.Node == "" && ev.PromptID == promptID
		case <-sub.drops:
			reconcile = true
		case <-quiet.C:
			reconcile, quietPoll = true, true
		}
		if reconcile {
			out, err := c.poll(ctx, promptID)
			if err != nil {
				return nil, err
			}
			if out != nil {
				return out, nil
			}
		}
		if quietPoll && c.cfg.Flavor == FlavorLocal {
			if absent = c.countAbsent(ctx, promptID, absent); absent >= lostAfterPolls {
				return lostOutcome(promptID), nil
			}
		}
		quiet.Reset(c.cfg.QuietInterval)
	}
}

// poll asks the server whether promptID has finished; nil, nil means not
// yet. Transient errors are logged and treated as "not yet" so a flaky
// server does not fail a run that may well succeed.
func (c *Client) poll(ctx context.Context, promptID string) (*Outcome, error) {
	if c.cfg.Flavor == FlavorCloud {
		return c.pollCloud(ctx, promptID)
	}
	return c.pollHistory(ctx, promptID)
}

func (c *Client) pollHistory(ctx context.Context, promptID string) (*Outcome, error) {
	h, err := c.History(ctx, promptID)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		c.log.Debug("history poll failed", "prompt_id", promptID, "error", err)
		return nil, nil
	}
	if h == nil || !h.Done() {
		return nil, nil
	}
	return h.Outcome(), nil
}

// settle turns a terminal event into an Outcome, preferring history (it
// lists every output, including ones whose executed event was lost) and
// retrying briefly while history lags.
func (c *Client) settle(ctx context.Context, promptID string, ev Event, seen []FileRef) (*Outcome, error) {
	for try := 0; try < c.lagTries; try++ {
		out, err := c.poll(ctx, promptID)
		if err != nil {
			return nil, err
		}
		if out != nil {
			return out, nil
		}
		if err := sleepLag(ctx, try); err != nil {
			return nil, err
		}
	}
	c.log.Warn("history never showed the prompt; using WebSocket events", "prompt_id", promptID)
	switch ev.Type {
	case EventExecutionSuccess:
		return &Outcome{PromptID: promptID, Status: StatusSuccess, Outputs: dedupeRefs(seen)}, nil
	case EventExecutionError:
		return &Outcome{PromptID: promptID, Status: StatusError, Error: ev.Error}, nil
	case EventExecutionInterrupted:
		return &Outcome{PromptID: promptID, Status: StatusInterrupted, Error: ev.Error}, nil
	}
	return nil, fmt.Errorf("prompt %s: unexpected terminal event %q", promptID, ev.Type)
}

// sleepLag waits before the next history read after a terminal event. ComfyUI writes
// history a moment after execution_success (milliseconds), so the wait starts short and
// doubles (2ms, 4ms, ... capped at 1s) rather than using the network-retry backoff,
// whose 50-100ms first step would dominate the cost of a quick render.
func sleepLag(ctx context.Context, try int) error {
	t := time.NewTimer(min(2*time.Millisecond<<min(try, 9), time.Second))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// lostAfterPolls is how many quiet polls in a row must find a prompt in
// neither history nor queue before it is declared lost. ComfyUI keeps both
// in memory, so a restarted server forgets its prompts and would otherwise
// leave Wait polling until its deadline.
const lostAfterPolls = 3

func (c *Client) countAbsent(ctx context.Context, promptID string, absent int) int {
	q, err := c.Queue(ctx)
	if err != nil {
		return absent // unknown is not absent
	}
	for _, items := range [][]QueueItem{q.Running, q.Pending} {
		for _, it := range items {
			if it.PromptID == promptID {
				return 0
			}
		}
	}
	return absent + 1
}

func lostOutcome(promptID string) *Outcome {
	return &Outcome{PromptID: promptID, Status: StatusError, Error: &ExecutionError{
		PromptID:         promptID,
		ExceptionType:    "lost",
		ExceptionMessage: "the server no longer knows this prompt (neither queued, running nor in history); it may have restarted",
	}}
}

func dedupeRefs(refs []FileRef) []FileRef {
	seen := map[FileRef]bool{}
	var out []FileRef
	for _, r := range refs {
		if !seen[r] {
			seen[r] = true
			out = append(out, r)
		}
	}
	return out
}

// progressTracker turns progress_state snapshots into a workflow percent.
type progressTracker struct {
	total  int
	cached map[string]bool
	nodes  map[string]NodeProgress
}

func newProgressTracker(total int) *progressTracker {
	return &progressTracker{total: total, cached: map[string]bool{}, nodes: map[string]NodeProgress{}}
}

func (p *progressTracker) observe(ev *Event) {
	switch ev.Type {
	case EventExecutionCached:
		for _, n := range ev.CachedNodes {
			p.cached[n] = true
		}
	case EventProgressState:
		for id, np := range ev.Nodes {
			p.nodes[id] = np
		}
	case EventExecutionSuccess:
		ev.Percent, ev.PercentKnown = 100, true
		return
	}
	if p.total <= 0 {
		return
	}
	done := 0.0
	for id := range p.cached {
		if _, ok := p.nodes[id]; !ok {
			done++
		}
	}
	for _, np := range p.nodes {
		switch {
		case np.State == "finished":
			done++
		case np.Max > 0:
			done += min(np.Value/np.Max, 1)
		}
	}
	ev.Percent, ev.PercentKnown = min(100*done/float64(p.total), 100), true
}
