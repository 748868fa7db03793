package pool

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// Fetch downloads the render's outputs from the member that ran it, exactly as a
// single-server provider does. If that member stopped answering after the render
// ended, the render is resubmitted once, watched and fetched from its new member. A
// render that moved carries a warning saying so.
func (p *Provider) Fetch(ctx context.Context, req plugins.FetchRequest) (plugins.FetchResult, plugins.Diagnostics) {
	j, err := p.jobs.get(req.PromptID, p.memberList())
	if err != nil {
		return plugins.FetchResult{}, plugins.FromError("Unknown pool render", err)
	}
	m, promptID := j.current()
	res, err := fetchFrom(ctx, m, promptID, req)
	if err != nil && isUnreachable(err) && ctx.Err() == nil {
		m.markDown()
		if diags := p.Watch(ctx, plugins.WatchRequest{PromptID: req.PromptID}, func(plugins.Event) {}); diags.HasErrors() {
			return res, diags
		}
		m, promptID = j.current()
		res, err = fetchFrom(ctx, m, promptID, req)
	}
	if err != nil {
		return res, memberError(m, "Cannot fetch the outputs of prompt "+promptID, err)
	}
	j.mu.Lock()
	note := j.note
	j.mu.Unlock()
	if note != "" {
		return res, plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: "Render moved to another pool member", Detail: note}}
	}
	return res, nil
}

func fetchFrom(ctx context.Context, m *member, promptID string, req plugins.FetchRequest) (plugins.FetchResult, error) {
	entry, err := m.client.History(ctx, promptID)
	if err != nil {
		return plugins.FetchResult{}, err
	}
	if entry == nil || !entry.Done() {
		return plugins.FetchResult{Status: plugins.JobPending}, nil
	}
	out := entry.Outcome()
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
		f, err := m.client.Download(ctx, ref, req.OutputDir, opt)
		if err != nil {
			return res, fmt.Errorf("downloading %s from node %s: %w", ref.Filename, ref.NodeID, err)
		}
		res.Files = append(res.Files, plugins.OutputFile{NodeID: ref.NodeID, Path: f.RelPath, Size: f.Size, SHA256: f.SHA256, MediaType: f.MediaType})
	}
	return res, nil
}
