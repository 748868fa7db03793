package cloud

import (
	"context"
	"encoding/json"
	"errors"
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
	failures := 0
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
		switch {
		case err == nil:
			task, failures = next, 0
		case ctx.Err() != nil:
			// reported by the select above
		case transient(err) && failures < maxTaskPollFailures:
			failures++
			p.log.Debug("asset task poll failed; retrying", "task_id", task.ID, "error", err)
		default:
			return nil, p.fail(summary, err)
		}
	}
}

// maxTaskPollFailures bounds consecutive transient failures while polling a task.
const maxTaskPollFailures = 5

// transient reports failures worth another poll: a 5xx or no answer at all.
func transient(err error) bool {
	var ae *assetError
	if errors.As(err, &ae) {
		return ae.Status >= 500
	}
	return true
}
