package cloud

import (
	"context"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

const methodAssetImport = "Comfy Cloud asset import"

// PlanModel checks presence by name through the models endpoints: Cloud lists names
// only, so a present file is "present by name, unverified". An absent one is
// installable when its source is on Hugging Face or Civitai.
func (p *Provider) PlanModel(ctx context.Context, m plugins.ModelSpec) (plugins.ModelPlan, plugins.Diagnostics) {
	if d := checkModelPath(m); d.HasErrors() {
		return plugins.ModelPlan{}, d
	}
	present, diags := p.hasModel(ctx, m)
	if diags.HasErrors() {
		return plugins.ModelPlan{}, diags
	}
	if present {
		return plugins.ModelPlan{Status: plugins.ModelPresentByName}, nil
	}
	plan := plugins.ModelPlan{Status: plugins.ModelAbsent, InstallMethod: methodAssetImport}
	if d := checkImportSource(m); d.HasErrors() {
		return plan, d
	}
	plan.Installable = true
	return plan, importWarnings(m)
}

// ApplyModel imports the source into the account's models and waits for Cloud's task.
func (p *Provider) ApplyModel(ctx context.Context, m plugins.ModelSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	if onProgress == nil {
		onProgress = func(plugins.InstallProgress) {}
	}
	if d := checkModelPath(m); d.HasErrors() {
		return plugins.InstallProgress{}, d
	}
	if d := checkImportSource(m); d.HasErrors() {
		return plugins.InstallProgress{}, d
	}
	if present, d := p.hasModel(ctx, m); d.HasErrors() {
		return plugins.InstallProgress{}, d
	} else if present {
		return plugins.InstallProgress{Done: true, Message: "already on Comfy Cloud (by name, unverified)"}, nil
	}
	res, d := p.importAndWait(ctx, m, onProgress)
	p.models.forget(m.Folder)
	if d.HasErrors() {
		return plugins.InstallProgress{}, d
	}
	present, d := p.hasModel(ctx, m)
	if d.HasErrors() {
		return plugins.InstallProgress{}, d
	}
	if !present {
		named := ""
		if res != nil && res.Name != "" {
			named = " Cloud stored it as " + res.Name + "; set `file` to that name."
		}
		return plugins.InstallProgress{}, attrError("Comfy Cloud imported the model under another name", "file",
			"the import of %s finished, but Cloud does not list %s/%s.%s", redactURL(m.Source), m.Folder, m.File, named)
	}
	done := plugins.InstallProgress{Done: true, Message: "imported into Comfy Cloud (present by name; Cloud reports no sha256)"}
	if res != nil {
		done.Size, done.BytesDone, done.BytesTotal = res.Size, res.Size, res.Size
	}
	return done, nil
}

func (p *Provider) hasModel(ctx context.Context, m plugins.ModelSpec) (bool, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return false, diags
	}
	names, _, err := p.models.list(ctx, c, m.Folder) // missing: Cloud's 404 for unknown or empty
	if err != nil {
		return false, p.fail("Cannot list Comfy Cloud model folder "+m.Folder, err)
	}
	want := strings.ReplaceAll(m.File, `\`, "/")
	for _, n := range names {
		if strings.ReplaceAll(n, `\`, "/") == want {
			return true, nil
		}
	}
	return false, nil
}
