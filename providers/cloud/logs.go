package cloud

import (
	"context"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// Logs gathers what Cloud knows of one job: its history status and messages and the
// exception with the failing node, or its raw job state while it is in flight. Cloud
// exposes no server log, which a warning says when one is asked for.
func (p *Provider) Logs(ctx context.Context, req plugins.LogsRequest) (plugins.LogsResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.LogsResult{}, diags
	}
	entry, err := c.History(ctx, req.PromptID)
	if err != nil {
		return plugins.LogsResult{}, p.fail("Cannot read the history of Comfy Cloud job "+req.PromptID, err)
	}
	var res plugins.LogsResult
	if entry != nil && entry.Done() {
		res = historyLogs(entry)
	} else {
		js, err := c.JobStatus(ctx, req.PromptID)
		if err != nil {
			return plugins.LogsResult{}, p.fail("Cannot read the status of Comfy Cloud job "+req.PromptID, err)
		}
		res.Status = js.Status
		if js.ErrorMessage != "" {
			res.Error = &plugins.ExecutionError{ExceptionType: js.Status, ExceptionMessage: js.ErrorMessage}
		}
	}
	var warn plugins.Diagnostics
	if req.ServerLogLines > 0 {
		warn = plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: "Server log unavailable",
			Detail: "Comfy Cloud does not expose its server log; the job's status messages and error are shown instead."}}
	}
	return res, p.scrub(warn)
}

func historyLogs(entry *comfyapi.HistoryEntry) plugins.LogsResult {
	res := plugins.LogsResult{Status: entry.Status.StatusStr}
	if res.Status == "" {
		res.Status = "success"
	}
	for _, m := range entry.Status.Messages {
		res.StatusMessagesJSON = append(res.StatusMessagesJSON, string(m))
	}
	out := entry.Outcome()
	if out.Status == comfyapi.StatusInterrupted {
		res.Status = "interrupted"
	}
	res.Error = withHint(out.Error)
	return res
}
