package local

import (
	"context"
	"net/url"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// Logs gathers what the server knows of one prompt: its history status and messages,
// the exception with the failing node and its inputs, and (best effort) the lines of the
// server log around the failure. A prompt still queued or running has no history yet;
// its status says so.
func (p *Provider) Logs(ctx context.Context, req plugins.LogsRequest) (plugins.LogsResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.LogsResult{}, diags
	}
	entry, err := c.History(ctx, req.PromptID)
	if err != nil {
		return plugins.LogsResult{}, serverError(c, "Cannot read the history of prompt "+req.PromptID, err)
	}
	var res plugins.LogsResult
	if entry == nil {
		q, err := c.Queue(ctx)
		if err != nil {
			return plugins.LogsResult{}, serverError(c, "Cannot read the queue", err)
		}
		switch {
		case idSet(q.Running)[req.PromptID]:
			res.Status = "running"
		case idSet(q.Pending)[req.PromptID]:
			res.Status = "pending"
		default:
			return plugins.LogsResult{}, plugins.Errorf("Unknown prompt",
				"the server at %s has no prompt %s in its history or queue. ComfyUI keeps history in memory only, so a restart forgets it; check the id (`comfyhcl queue list` shows queued ones).",
				publicURL(c.BaseURL()), req.PromptID)
		}
	} else {
		res = historyLogs(entry)
	}
	var warn plugins.Diagnostics
	if req.ServerLogLines > 0 {
		text, err := c.Logs(ctx)
		if err != nil {
			warn = plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: "Server log unavailable",
				Detail: "the server did not answer /internal/logs (" + err.Error() + "); read the log where ComfyUI was started."}}
		} else {
			res.ServerLog = logWindow(text, res.Error, req.ServerLogLines)
		}
	}
	return res, warn
}

func historyLogs(entry *comfyapi.HistoryEntry) plugins.LogsResult {
	res := plugins.LogsResult{Status: entry.Status.StatusStr}
	if res.Status == "" {
		res.Status = "running"
		if entry.Done() {
			res.Status = "success"
		}
	}
	for _, m := range entry.Status.Messages {
		res.StatusMessagesJSON = append(res.StatusMessagesJSON, string(m))
	}
	if entry.Done() {
		out := entry.Outcome()
		if out.Status == comfyapi.StatusInterrupted {
			res.Status = "interrupted"
		}
		res.Error = bridge.ExecutionError(out.Error)
	}
	return res
}

// logWindow picks n lines of the server log: around the last line that mentions the
// exception when there is one, else the tail.
func logWindow(text string, e *plugins.ExecutionError, n int) []string {
	lines := strings.Split(strings.TrimRight(text, "\n"), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return nil
	}
	end := len(lines)
	if e != nil {
		needle := strings.TrimSpace(firstLine(e.ExceptionMessage))
		for i := len(lines) - 1; i >= 0 && needle != ""; i-- {
			if strings.Contains(lines[i], needle) {
				end = min(len(lines), i+1+n/4)
				break
			}
		}
	}
	start := max(0, end-n)
	return lines[start:end]
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// publicURL drops credentials a URL may carry (http://user:pass@host) before it is shown.
func publicURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the configured server"
	}
	u.User = nil
	return u.String()
}
