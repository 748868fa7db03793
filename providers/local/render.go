package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// Submit queues the graph with the client's id, so its events reach our socket.
func (p *Provider) Submit(ctx context.Context, req plugins.SubmitRequest) (plugins.SubmitResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.SubmitResult{}, diags
	}
	res, err := c.Submit(ctx, json.RawMessage(req.GraphJSON), nil)
	if err != nil {
		var perr *comfyapi.PromptError
		if errors.As(err, &perr) {
			return plugins.SubmitResult{}, promptErrorDiagnostics(perr)
		}
		return plugins.SubmitResult{}, serverError(c, "Cannot submit the workflow", err)
	}
	var warn plugins.Diagnostics
	for id, ne := range res.NodeErrors {
		for _, ve := range ne.Errors {
			warn = append(warn, plugins.Diagnostic{Severity: plugins.SeverityWarning,
				Summary: fmt.Sprintf("Output node %s (%s) was dropped by the server", id, ne.ClassType),
				Detail:  ve.Message + ": " + ve.Details})
		}
	}
	return plugins.SubmitResult{PromptID: res.PromptID}, warn
}

// promptErrorDiagnostics lists each node's validation errors as its own diagnostic.
func promptErrorDiagnostics(e *comfyapi.PromptError) plugins.Diagnostics {
	return bridge.PromptErrorDiagnostics(e, "The server",
		"The server lacks this node class: install the custom node pack that provides it (a `node` block), or check the class_type.")
}

// Watch relays the job's events until it ends. The client reconciles with history when
// the socket drops, so a lost message never hangs the render.
func (p *Provider) Watch(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	if req.PromptID == "" {
		return p.watchAll(ctx, req, onEvent) // server-wide view (watch_all.go)
	}
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	ctx, cancel := context.WithTimeout(ctx, p.timeout)
	defer cancel()
	var previews int
	out, err := c.Wait(ctx, req.PromptID, func(ev comfyapi.Event) {
		pe, ok := bridge.Event(ev)
		if !ok {
			return
		}
		if ev.Preview != nil && req.PreviewsDir != "" {
			previews++
			pe.PreviewPath = savePreview(req.PreviewsDir, req.PromptID, previews, ev.Preview)
		}
		onEvent(pe)
	})
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return plugins.Errorf("Render timed out", "prompt %s ran longer than the provider's timeout (%s); raise `timeout` in the provider block or the render.", req.PromptID, p.timeout)
		}
		return serverError(c, "Lost track of prompt "+req.PromptID, err)
	}
	// The terminal event may have been lost on the socket; the outcome from history is
	// authoritative, so always finish with it. Fetch reuses it instead of asking again.
	p.rememberOutcome(out)
	onEvent(bridge.OutcomeEvent(out, bridge.ExecutionError))
	return nil
}

// rememberOutcome keeps a finished prompt's outcome for the Fetch that follows Watch.
func (p *Provider) rememberOutcome(out *comfyapi.Outcome) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.outcomes == nil {
		p.outcomes = map[string]*comfyapi.Outcome{}
	}
	p.outcomes[out.PromptID] = out
}

func (p *Provider) takeOutcome(promptID string) *comfyapi.Outcome {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := p.outcomes[promptID]
	delete(p.outcomes, promptID)
	return out
}

func savePreview(dir, promptID string, n int, pv *comfyapi.Preview) string {
	ext := ".jpg"
	if pv.MediaType == "image/png" {
		ext = ".png"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%04d%s", promptID, n, ext))
	if err := os.WriteFile(path, pv.Data, 0o644); err != nil {
		return ""
	}
	return path
}

// Fetch reads the job's history and downloads its outputs under the requested dir.
func (p *Provider) Fetch(ctx context.Context, req plugins.FetchRequest) (plugins.FetchResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.FetchResult{}, diags
	}
	out := p.takeOutcome(req.PromptID)
	if out == nil {
		entry, err := c.History(ctx, req.PromptID)
		if err != nil {
			return plugins.FetchResult{}, serverError(c, "Cannot read the history of prompt "+req.PromptID, err)
		}
		if entry == nil || !entry.Done() {
			return plugins.FetchResult{Status: plugins.JobPending}, nil
		}
		out = entry.Outcome()
	}
	res := plugins.FetchResult{Error: bridge.ExecutionError(out.Error)}
	switch out.Status {
	case comfyapi.StatusSuccess:
		res.Status = plugins.JobSucceeded
	case comfyapi.StatusInterrupted:
		res.Status = plugins.JobInterrupted
		return res, nil
	default:
		res.Status = plugins.JobFailed
		return res, nil
	}
	owned := map[string]bool{}
	for _, o := range req.OwnedPaths {
		owned[filepath.ToSlash(o)] = true
	}
	opt := comfyapi.DownloadOptions{Flat: req.Flat, Owned: func(rel string) bool { return owned[filepath.ToSlash(rel)] }}
	for _, ref := range out.Outputs {
		if ref.Type != "output" {
			continue // previews and temp files are not results
		}
		f, err := c.Download(ctx, ref, req.OutputDir, opt)
		if err != nil {
			return res, serverError(c, fmt.Sprintf("Cannot download %s from node %s", ref.Filename, ref.NodeID), err)
		}
		res.Files = append(res.Files, plugins.OutputFile{NodeID: ref.NodeID, Path: f.RelPath, Size: f.Size, SHA256: f.SHA256, MediaType: f.MediaType})
	}
	return res, nil
}

// Cancel removes the job from the queue if it waits, and interrupts it if it runs.
func (p *Provider) Cancel(ctx context.Context, promptID string) plugins.Diagnostics {
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	if err := c.DeleteQueued(ctx, promptID); err != nil {
		return serverError(c, "Cannot remove prompt "+promptID+" from the queue", err)
	}
	if err := c.Interrupt(ctx, promptID); err != nil {
		return serverError(c, "Cannot interrupt prompt "+promptID, err)
	}
	return nil
}
