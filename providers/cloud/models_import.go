package cloud

import (
	"context"
	"encoding/json"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// importAndWait posts the import and polls its task until Cloud says completed or
// failed, with a growing interval; ctx bounds it (Ctrl-C or the apply's deadline).
func (p *Provider) importAndWait(ctx context.Context, m plugins.ModelSpec, onProgress func(plugins.InstallProgress)) (*asset, plugins.Diagnostics) {
	p.mu.Lock()
	a, wait := p.assets, p.taskPoll
	p.mu.Unlock()
	if a == nil {
		return nil, plugins.Errorf("Provider not configured", "the core called the cloud provider before Configure; this is a bug in comfyhcl")
	}
	summary := "Cannot import " + m.Folder + "/" + m.File + " into Comfy Cloud"
	task, done, err := a.importModel(ctx, m.Source, []string{"models", m.Folder})
	if err != nil {
		return nil, p.fail(summary, err)
	}
	if done != nil {
		return done, nil
	}
	for {
		onProgress(plugins.InstallProgress{Message: "Comfy Cloud import " + task.Status + ": " + task.Message})
		switch task.Status {
		case "completed":
			var res asset
			_ = json.Unmarshal(task.Result, &res)
			return &res, nil
		case "failed":
			return nil, p.scrub(attrError(summary, "source", "Cloud's import task %s failed: %s\nCheck that %s is a public direct download link.",
				task.ID, task.Message, redactURL(m.Source)))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, plugins.Errorf(summary, "stopped waiting for Cloud's import task %s (%v); Cloud may still finish it, and the next plan will see the file.", task.ID, ctx.Err())
		case <-t.C:
		}
		wait = min(wait*2, 10*time.Second)
		next, err := a.task(ctx, task.ID)
		if err != nil {
			if ctx.Err() != nil {
				continue // reported by the select above
			}
			return nil, p.fail(summary, err)
		}
		task = next
	}
}
