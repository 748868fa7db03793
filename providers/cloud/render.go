package cloud

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// Submit queues the graph. The client adds the partner key as
// extra_data.api_key_comfy_org when one is configured; Cloud ignores client ids.
func (p *Provider) Submit(ctx context.Context, req plugins.SubmitRequest) (plugins.SubmitResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.SubmitResult{}, diags
	}
	res, err := c.Submit(ctx, json.RawMessage(req.GraphJSON), nil)
	if err != nil {
		var perr *comfyapi.PromptError
		if errors.As(err, &perr) {
			return plugins.SubmitResult{}, p.scrub(promptErrorDiagnostics(perr))
		}
		return plugins.SubmitResult{}, p.fail("Comfy Cloud did not accept the workflow", err)
	}
	var warn plugins.Diagnostics
	for id, ne := range res.NodeErrors {
		for _, ve := range ne.Errors {
			warn = append(warn, plugins.Diagnostic{Severity: plugins.SeverityWarning,
				Summary: fmt.Sprintf("Output node %s (%s) was dropped by Comfy Cloud", id, ne.ClassType),
				Detail:  ve.Message + ": " + ve.Details})
		}
	}
	return plugins.SubmitResult{PromptID: res.PromptID}, p.scrub(warn)
}

// Watch relays the job's events until it ends. Cloud's socket carries every job of the
// account; the client filters by prompt id and reconciles with the job status endpoint
// when the socket drops or goes quiet, so a lost message never hangs the render.
func (p *Provider) Watch(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	if req.PromptID == "" {
		return p.watchAll(ctx, req, onEvent) // the account-wide view (watch_all.go)
	}
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	timeout := p.renderTimeout()
	ctx, cancelTimeout := context.WithTimeout(ctx, timeout)
	defer cancelTimeout()
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stopGuard := guardWatch(ctx, cancel, c, req.PromptID, p.guardEvery)
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
	stopGuard()
	if err != nil {
		if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) && !errors.Is(cause, context.DeadlineExceeded) {
			return p.fail("Lost track of Comfy Cloud job "+req.PromptID, cause)
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return plugins.Errorf("Render timed out", "prompt %s ran longer than the provider's timeout (%s); raise `timeout` in the provider \"cloud\" block or the render.", req.PromptID, timeout)
		}
		return p.fail("Lost track of Comfy Cloud job "+req.PromptID, err)
	}
	onEvent(outcomeEvent(out))
	return nil
}

// Fetch reads the job's history and downloads its outputs (whatever key holds them:
// images, video, audio, ...) under the requested dir. Cloud's /api/view answers with a
// redirect to signed storage; the client follows it without the API key.
func (p *Provider) Fetch(ctx context.Context, req plugins.FetchRequest) (plugins.FetchResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.FetchResult{}, diags
	}
	entry, err := c.History(ctx, req.PromptID)
	if err != nil {
		return plugins.FetchResult{}, p.fail("Cannot read the history of Comfy Cloud job "+req.PromptID, err)
	}
	if entry == nil || !entry.Done() {
		return plugins.FetchResult{Status: plugins.JobPending}, nil
	}
	out := entry.Outcome()
	res := plugins.FetchResult{Error: withHint(out.Error)}
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
		if ref.Type != "" && ref.Type != "output" {
			continue // previews and temp files are not results
		}
		f, err := c.Download(ctx, ref, req.OutputDir, opt)
		if err != nil {
			return res, p.fetchFail(fmt.Sprintf("Cannot download %s from node %s", ref.Filename, ref.NodeID), err)
		}
		res.Files = append(res.Files, plugins.OutputFile{NodeID: ref.NodeID, Path: f.RelPath, Size: f.Size, SHA256: f.SHA256, MediaType: f.MediaType})
	}
	return res, nil
}

// Cancel removes the job from the queue if it waits, and interrupts it if it runs.
// Cloud's /api/interrupt stops every running job of the account, so it is only sent
// when this job is the one running.
func (p *Provider) Cancel(ctx context.Context, promptID string) plugins.Diagnostics {
	c, diags := p.conn()
	if diags.HasErrors() {
		return diags
	}
	return p.cancelIDs(ctx, c, []string{promptID}, false)
}
