package local

import (
	"context"
	"fmt"
	"path"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// planRemoteModel answers from the server's model list when there is no workspace: the
// server lists names only, so a present file is "present by name, unverified".
func (p *Provider) planRemoteModel(ctx context.Context, m plugins.ModelSpec) (plugins.ModelPlan, plugins.Diagnostics) {
	if _, diags := modelPath(m); diags.HasErrors() {
		return plugins.ModelPlan{}, diags
	}
	present, diags := p.serverHasModel(ctx, m)
	if diags.HasErrors() {
		return plugins.ModelPlan{}, diags
	}
	if present {
		return plugins.ModelPlan{Status: plugins.ModelPresentByName}, nil
	}
	mgr, err := p.manager(ctx)
	if err != nil {
		return plugins.ModelPlan{}, plugins.FromError("Cannot reach the ComfyUI server", err)
	}
	if mgr != nil && m.Source != "" && len(m.Headers) > 0 {
		return plugins.ModelPlan{Status: plugins.ModelAbsent}, attrError("ComfyUI-Manager cannot send the model's headers", "headers",
			"%s/%s needs `headers` (credentials) that ComfyUI-Manager's model install has no way to send. Set `workspace` in the provider \"local\" block so comfyhcl downloads it, or run on the server host (comfy-cli takes --set-hf-api-token / --set-civitai-api-token):\n  %s",
			m.Folder, m.File, comfyCLIModelCommand(m))
	}
	if mgr != nil && m.Source != "" {
		return plugins.ModelPlan{Status: plugins.ModelAbsent, Installable: true, InstallMethod: methodManager},
			plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: "ComfyUI-Manager installs only models from its model list",
				Detail: "Without `workspace` comfyhcl asks the server's ComfyUI-Manager to download " + m.Folder + "/" + m.File +
					"; Manager refuses URLs that are not in its model-list.json. If apply fails, set `workspace` in the provider \"local\" block, or run on the server host:\n  " + comfyCLIModelCommand(m)}}
	}
	return plugins.ModelPlan{Status: plugins.ModelAbsent}, attrError("Model missing and this server cannot install it", "source",
		"%s/%s is not in the server's model list, the provider has no `workspace` and the server has no ComfyUI-Manager. Set `workspace` in the provider \"local\" block to the ComfyUI directory, or run on the server host:\n  %s",
		m.Folder, m.File, comfyCLIModelCommand(m))
}

// applyRemoteModel queues the download on ComfyUI-Manager and checks the model list
// afterwards, since Manager reports no per-task result over HTTP.
func (p *Provider) applyRemoteModel(ctx context.Context, m plugins.ModelSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	mgr, err := p.manager(ctx)
	if err != nil {
		return plugins.InstallProgress{}, plugins.FromError("Cannot reach the ComfyUI server", err)
	}
	if mgr == nil {
		return plugins.InstallProgress{}, attrError("Cannot install models on this server", "source",
			"the provider has no `workspace` and the server has no ComfyUI-Manager. Set `workspace`, or run on the server host:\n  %s", comfyCLIModelCommand(m))
	}
	if d := checkSource(m.Source); d != nil {
		return plugins.InstallProgress{}, d
	}
	dir, file := path.Split(strings.ReplaceAll(m.File, `\`, "/"))
	uiID, err := mgr.enqueue(ctx, "install-model", map[string]any{
		"name": file, "type": m.Folder, "base": "", "save_path": strings.TrimSuffix(path.Join(m.Folder, dir), "/"),
		"url": m.Source, "filename": file,
	})
	if err == nil {
		err = mgr.run(ctx, func(done, total int) {
			onProgress(plugins.InstallProgress{Message: fmt.Sprintf("ComfyUI-Manager: %d of %d tasks done", done, total)})
		})
	}
	if err == nil {
		if msg := mgr.taskFailure(ctx, uiID); msg != "" {
			err = fmt.Errorf("ComfyUI-Manager reports: %s", msg)
		}
	}
	if err != nil {
		return plugins.InstallProgress{}, attrError("ComfyUI-Manager could not install "+m.Folder+"/"+m.File, "source",
			"%s. Alternatively run on the server host:\n  %s", err, comfyCLIModelCommand(m))
	}
	if c, d := p.conn(); !d.HasErrors() {
		forgetFolder(c, m.Folder)
	}
	present, diags := p.serverHasModel(ctx, m)
	if diags.HasErrors() {
		return plugins.InstallProgress{}, diags
	}
	if !present {
		return plugins.InstallProgress{}, attrError("ComfyUI-Manager did not install "+m.Folder+"/"+m.File, "source",
			"its queue finished but the server does not list the file; Manager installs only models from its model list (see its log). Set `workspace`, or run on the server host:\n  %s", comfyCLIModelCommand(m))
	}
	return plugins.InstallProgress{Done: true, Message: "installed by ComfyUI-Manager (unverified: the server lists names only)"}, nil
}

func (p *Provider) serverHasModel(ctx context.Context, m plugins.ModelSpec) (bool, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return false, diags
	}
	names, missing, err := listFolder(ctx, c, m.Folder)
	if missing {
		return false, nil
	}
	if err != nil {
		return false, serverError(c, "Cannot list model folder "+m.Folder, err)
	}
	want := strings.ReplaceAll(m.File, `\`, "/")
	for _, n := range names {
		if strings.ReplaceAll(n, `\`, "/") == want {
			return true, nil
		}
	}
	return false, nil
}

// comfyCLIModelCommand is the comfy-cli command that puts the file where the block
// expects it (comfyui-api.md §3).
func comfyCLIModelCommand(m plugins.ModelSpec) string {
	dir, file := path.Split(strings.ReplaceAll(m.File, `\`, "/"))
	rel := strings.TrimSuffix(path.Join("models", m.Folder, dir), "/")
	src := m.Source
	if src == "" {
		src = "<URL of " + file + ">"
	}
	return fmt.Sprintf("comfy model download --url %s --relative-path %s --filename %s", shellQuote(src), shellQuote(rel), shellQuote(file))
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@%+,", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
