package cloud

import (
	"context"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// Queue lists the account's Cloud queue or changes it, and returns it as it stands
// afterwards. Cloud's /api/interrupt stops every running job of the account, which
// the diagnostics say whenever it stops more than was asked.
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
			return plugins.QueueState{}, p.fail("Cannot clear the Comfy Cloud queue", err)
		}
	case plugins.QueueCancel:
		if len(req.PromptIDs) == 0 {
			return plugins.QueueState{}, plugins.Errorf("No prompt to cancel", "give the prompt ids to cancel; list them with `comfyhcl queue list`.")
		}
		warn = p.cancelIDs(ctx, c, req.PromptIDs, true)
	case plugins.QueueInterrupt:
		if len(req.PromptIDs) > 0 {
			warn = p.cancelIDs(ctx, c, req.PromptIDs, true)
		} else if err := c.Interrupt(ctx, ""); err != nil {
			return plugins.QueueState{}, p.fail("Cannot interrupt the running Comfy Cloud jobs", err)
		}
	default:
		return plugins.QueueState{}, plugins.Errorf("Unknown queue operation", "operation %d is not one of list, clear, cancel, interrupt; this is a bug in comfyhcl.", req.Op)
	}
	if warn.HasErrors() {
		return plugins.QueueState{}, warn
	}
	q, err := c.Queue(ctx)
	if err != nil {
		return plugins.QueueState{}, p.fail("Cannot read the Comfy Cloud queue", err)
	}
	return plugins.QueueState{Running: queueItems(q.Running), Pending: queueItems(q.Pending)}, warn
}

// cancelIDs deletes the pending ids in one request and interrupts when one of them
// runs. An id in neither list may still be being dispatched, so its job status decides.
func (p *Provider) cancelIDs(ctx context.Context, c *comfyapi.Client, ids []string, reportUnknown bool) plugins.Diagnostics {
	q, err := c.Queue(ctx)
	if err != nil {
		return p.fail("Cannot read the Comfy Cloud queue", err)
	}
	running, pending := idSet(q.Running), idSet(q.Pending)
	asked := map[string]bool{}
	var del, unknown []string
	interrupt := false
	for _, id := range ids {
		asked[id] = true
		switch {
		case running[id]:
			interrupt = true
		case pending[id]:
			del = append(del, id)
		default:
			if js, err := c.JobStatus(ctx, id); err == nil && !terminalState(js.Status) {
				del, interrupt = append(del, id), true
			} else {
				unknown = append(unknown, id)
			}
		}
	}
	if len(del) > 0 {
		if err := c.DeleteQueued(ctx, del...); err != nil {
			return p.fail("Cannot remove jobs from the Comfy Cloud queue", err)
		}
	}
	var warn plugins.Diagnostics
	if interrupt {
		if err := c.Interrupt(ctx, ""); err != nil {
			return p.fail("Cannot interrupt the Comfy Cloud job", err)
		}
		var others []string
		for id := range running {
			if !asked[id] {
				others = append(others, id)
			}
		}
		if len(others) > 0 {
			warn = append(warn, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Other Comfy Cloud jobs were interrupted too",
				Detail: "Cloud's interrupt stops every running job of the account; these were running as well: " + strings.Join(others, ", ")})
		}
	}
	if reportUnknown && len(unknown) > 0 {
		warn = append(warn, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Not in the queue",
			Detail: "neither pending nor running (already finished, or a wrong id): " + strings.Join(unknown, ", ") +
				"\nSee finished jobs with `comfyhcl logs PROMPT_ID`."})
	}
	return warn
}

// terminalState reports Cloud's raw job states after which nothing runs.
func terminalState(s string) bool {
	switch s {
	case "success", "completed", "error", "non_retryable_error", "failed", "lost", "cancelled":
		return true
	}
	return false
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
