package pool

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// Submit places the graph on a member and queues it there. A member that does not
// answer is marked down and the next one is tried; a server that rejects the graph is
// an error at once (another member would reject it too).
func (p *Provider) Submit(ctx context.Context, req plugins.SubmitRequest) (plugins.SubmitResult, plugins.Diagnostics) {
	needs, err := graphNeeds(req.GraphJSON)
	if err != nil {
		return plugins.SubmitResult{}, plugins.FromError("Invalid workflow", err)
	}
	tried := map[*member]bool{}
	for {
		m, diags := p.place(ctx, needs, tried)
		if diags.HasErrors() {
			return plugins.SubmitResult{}, diags
		}
		res, err := m.client.Submit(ctx, json.RawMessage(req.GraphJSON), nil)
		if err == nil {
			j := &job{id: jobID(m, res.PromptID), instance: req.Instance, graph: req.GraphJSON, needs: needs, m: m, promptID: res.PromptID}
			p.jobs.add(j)
			p.log.Debug("render placed", "instance", req.Instance, "member", m.name(), "prompt", res.PromptID)
			return plugins.SubmitResult{PromptID: j.id}, nil
		}
		m.addInflight(-1)
		m.unplace()
		if !isUnreachable(err) || ctx.Err() != nil {
			return plugins.SubmitResult{}, memberError(m, "Cannot submit the workflow", err)
		}
		if m.markDown() {
			p.log.Warn("pool member stopped answering; marked down", "member", m.name(), "error", err)
		}
		tried[m] = true
	}
}

// Watch relays the render's events until it ends. When its member goes down mid-run,
// the render is resubmitted once to another member and watched there, under the same
// pool prompt id.
func (p *Provider) Watch(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	j, err := p.jobs.get(req.PromptID, p.memberList())
	if err != nil {
		return plugins.FromError("Unknown pool render", err)
	}
	for {
		m, promptID := j.current()
		if m.isDown() {
			if diags := p.resubmit(ctx, j, m); diags.HasErrors() {
				return diags
			}
			continue
		}
		wctx, cancel := context.WithCancel(ctx)
		go func() {
			select {
			case <-m.downSignal():
				cancel()
			case <-wctx.Done():
			}
		}()
		out, err := m.client.Wait(wctx, promptID, func(ev comfyapi.Event) {
			if pe, ok := bridge.Event(ev); ok {
				pe.PromptID = j.id
				onEvent(pe)
			}
		})
		cancel()
		switch {
		case err == nil:
			j.finish()
			ev := outcomeEvent(out)
			ev.PromptID = j.id
			onEvent(ev)
			return nil
		case ctx.Err() != nil:
			return plugins.Errorf("Render interrupted", "watching %s on %s was cancelled.", j.id, m.name())
		case m.isDown() || isUnreachable(err):
			if m.markDown() {
				p.log.Warn("pool member stopped answering; marked down", "member", m.name(), "error", err)
			}
		default:
			return memberError(m, "Lost track of prompt "+promptID, err)
		}
	}
}

// resubmit moves a render off a member that went down, once.
func (p *Provider) resubmit(ctx context.Context, j *job, from *member) plugins.Diagnostics {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.m != from {
		return nil // already moved by a concurrent caller
	}
	if j.resubmitted || j.graph == nil {
		why := "it was already resubmitted once"
		if j.graph == nil {
			why = "it was submitted by an earlier run, so this one does not have its graph"
		}
		return plugins.Errorf("A pool member stopped answering", "%s stopped answering while running %s (prompt %s), and %s. Run apply again to render it anew.", from.name(), j.instance, j.promptID, why)
	}
	m, diags := p.place(ctx, j.needs, map[*member]bool{from: true})
	if diags.HasErrors() {
		return plugins.Errorf("A pool member stopped answering", "%s stopped answering while running %s and no other member can take it: %s", from.name(), j.instance, diags[0].Detail)
	}
	res, err := m.client.Submit(ctx, json.RawMessage(j.graph), nil)
	if err != nil {
		m.addInflight(-1)
		return memberError(m, fmt.Sprintf("Cannot resubmit %s after %s stopped answering", j.instance, from.name()), err)
	}
	if j.finished {
		from.undone()
	} else {
		from.addInflight(-1)
	}
	go forget(from, j.promptID)
	j.m, j.promptID, j.resubmitted, j.finished = m, res.PromptID, true, false
	j.note = fmt.Sprintf("%s was resubmitted to %s after %s stopped answering.", j.instance, m.name(), from.name())
	p.log.Warn("render resubmitted", "instance", j.instance, "from", from.name(), "to", m.name(), "prompt", res.PromptID)
	return nil
}

// forget asks a member that went down to drop a render that moved away, in case it was
// only slow: best effort, one attempt each, so the work is not done twice.
func forget(m *member, promptID string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = m.probe.Interrupt(ctx, promptID) // removes it from the queue, or stops it
}

// Cancel removes the render from its member's queue, or interrupts it.
func (p *Provider) Cancel(ctx context.Context, promptID string) plugins.Diagnostics {
	j, err := p.jobs.get(promptID, p.memberList())
	if err != nil {
		return plugins.FromError("Unknown pool render", err)
	}
	m, id := j.current()
	if err := m.client.Interrupt(ctx, id); err != nil {
		return memberError(m, "Cannot interrupt prompt "+id, err)
	}
	return nil
}

// isUnreachable tells a member that does not answer from one that answers "no".
func isUnreachable(err error) bool {
	var conn *comfyapi.ConnError
	var httpErr *comfyapi.HTTPError
	if errors.As(err, &httpErr) {
		return httpErr.Status >= 500
	}
	return errors.As(err, &conn) || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled)
}

func memberError(m *member, summary string, err error) plugins.Diagnostics {
	detail := fmt.Sprintf("pool member %s: %v", m.name(), err)
	var perr *comfyapi.PromptError
	var httpErr *comfyapi.HTTPError
	switch {
	case errors.As(err, &perr):
		detail += "\nThe server rejected the graph; fix the inputs it names."
	case errors.As(err, &httpErr):
		if fix := httpErr.Fix(); fix != "" {
			detail += "\n" + fix
		}
	}
	return plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: summary, Detail: detail}}
}
