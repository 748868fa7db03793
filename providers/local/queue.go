package local

import (
	"context"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// Queue lists the server's queue or changes it, and returns the queue as it stands
// afterwards. Cancel removes pending ids and interrupts those that run; interrupt stops
// what runs (only the given ids when there are some) and leaves pending prompts alone.
func (p *Provider) Queue(ctx context.Context, req plugins.QueueRequest) (plugins.QueueState, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.QueueState{}, diags
	}
	var warn plugins.Diagnostics
	switch req.Op {
	case plugins.QueueList:
	case plugins.QueueClear:
		if err := c.ClearQueue(ctx); err != nil {
			return plugins.QueueState{}, serverError(c, "Cannot clear the queue", err)
		}
	case plugins.QueueCancel:
		if len(req.PromptIDs) == 0 {
			return plugins.QueueState{}, plugins.Errorf("No prompt to cancel", "give the prompt ids to cancel; list them with `comfyhcl queue list`.")
		}
		warn = p.cancelIDs(ctx, c, req.PromptIDs)
		if warn.HasErrors() {
			return plugins.QueueState{}, warn
		}
	case plugins.QueueInterrupt:
		if d := interrupt(ctx, c, req.PromptIDs); d.HasErrors() {
			return plugins.QueueState{}, d
		}
	default:
		return plugins.QueueState{}, plugins.Errorf("Unknown queue operation", "operation %d is not one of list, clear, cancel, interrupt; this is a bug in comfyhcl.", req.Op)
	}
	q, err := c.Queue(ctx)
	if err != nil {
		return plugins.QueueState{}, serverError(c, "Cannot read the queue", err)
	}
	return plugins.QueueState{Running: queueItems(q.Running), Pending: queueItems(q.Pending)}, warn
}

// cancelIDs deletes the pending ones in one request and interrupts the running ones;
// an id the server does not have is reported, since the user probably mistyped it.
func (p *Provider) cancelIDs(ctx context.Context, c *comfyapi.Client, ids []string) plugins.Diagnostics {
	q, err := c.Queue(ctx)
	if err != nil {
		return serverError(c, "Cannot read the queue", err)
	}
	running, pending := idSet(q.Running), idSet(q.Pending)
	var del, run, unknown []string
	for _, id := range ids {
		switch {
		case running[id]:
			run = append(run, id)
		case pending[id]:
			del = append(del, id)
		default:
			unknown = append(unknown, id)
		}
	}
	if len(del) > 0 {
		if err := c.DeleteQueued(ctx, del...); err != nil {
			return serverError(c, "Cannot remove prompts from the queue", err)
		}
	}
	if len(run) > 0 { // interrupt with no id would stop whatever runs
		if d := interrupt(ctx, c, run); d.HasErrors() {
			return d
		}
	}
	if len(unknown) > 0 {
		return plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: "Not in the queue",
			Detail: "neither pending nor running (already finished, or a wrong id): " + strings.Join(unknown, ", ") +
				"\nSee finished prompts with `comfyhcl logs PROMPT_ID`."}}
	}
	return nil
}

func interrupt(ctx context.Context, c *comfyapi.Client, ids []string) plugins.Diagnostics {
	if len(ids) == 0 {
		if err := c.Interrupt(ctx, ""); err != nil {
			return serverError(c, "Cannot interrupt the running prompt", err)
		}
		return nil
	}
	for _, id := range ids {
		if err := c.Interrupt(ctx, id); err != nil {
			return serverError(c, "Cannot interrupt prompt "+id, err)
		}
	}
	return nil
}

func idSet(items []comfyapi.QueueItem) map[string]bool {
	m := map[string]bool{}
	for _, it := range items {
		m[it.PromptID] = true
	}
	return m
}

func queueItems(in []comfyapi.QueueItem) []plugins.QueueItem {
	out := make([]plugins.QueueItem, 0, len(in))
	for _, it := range in {
		out = append(out, plugins.QueueItem{PromptID: it.PromptID, Number: it.Number})
	}
	return out
}
