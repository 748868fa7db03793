package cloud

import (
	"context"
	"net/url"
	"path"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

const methodAssetImport = "Comfy Cloud asset import"

// importHosts are the only sources POST /api/assets/download accepts.
var importHosts = map[string]string{"huggingface.co": "Hugging Face", "civitai.com": "Civitai"}

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

func checkModelPath(m plugins.ModelSpec) plugins.Diagnostics {
	if m.Folder == "" || strings.ContainsAny(m.Folder, `/\`) || m.Folder == "." || m.Folder == ".." {
		return attrError("Invalid model folder", "folder", "%q is not a model folder name such as checkpoints, loras or diffusion_models.", m.Folder)
	}
	f := strings.ReplaceAll(m.File, `\`, "/")
	if f == "" || path.IsAbs(f) || f != path.Clean(f) || f == ".." || strings.HasPrefix(f, "../") {
		return attrError("Invalid model file", "file", "%q must be a relative file name inside the folder.", m.File)
	}
	return nil
}

// checkImportSource accepts http(s) URLs on the two hosts Cloud imports from.
func checkImportSource(m plugins.ModelSpec) plugins.Diagnostics {
	where := m.Folder + "/" + m.File
	if m.Source == "" {
		return attrError("Model missing on Comfy Cloud and no source to import it from", "source",
			"%s is not in the account's models. Add `source` with its Hugging Face or Civitai URL (Cloud imports only from those), or pick a model Cloud already has.", where)
	}
	u, err := url.Parse(m.Source)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return attrError("Invalid model source", "source", "%q is not an http(s) URL.", redactURL(m.Source))
	}
	if _, ok := importHosts[strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")]; !ok {
		return attrError("Comfy Cloud cannot import from "+u.Hostname(), "source",
			"%s is not on Comfy Cloud, and Cloud imports models only from huggingface.co and civitai.com (POST /api/assets/download); it cannot fetch %s. Publish the file on Hugging Face or Civitai and use that URL, or use a model Cloud already has.",
			where, redactURL(m.Source))
	}
	return nil
}

// importWarnings says what Cloud cannot honour: auth headers, and a file name other
// than the one Hugging Face will give it.
func importWarnings(m plugins.ModelSpec) plugins.Diagnostics {
	var w plugins.Diagnostics
	if len(m.Headers) > 0 {
		w = append(w, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Headers are not sent to Comfy Cloud", AttributePath: []string{"headers"},
			Detail: "Cloud fetches the source itself; a gated repository must be reachable by Cloud without these headers."})
	}
	u, _ := url.Parse(m.Source)
	if strings.Contains(u.Hostname(), "huggingface.co") && path.Base(u.Path) != path.Base(strings.ReplaceAll(m.File, `\`, "/")) {
		w = append(w, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Cloud names imported models after the URL", AttributePath: []string{"file"},
			Detail: "the source ends in " + path.Base(u.Path) + " but `file` is " + m.File + "; after the import Cloud will list the former, so apply may fail. Set `file` to the URL's file name."})
	}
	return w
}

// redactURL drops credentials and query strings (which may carry tokens) from a URL.
func redactURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return "the source URL"
	}
	u.User, u.RawQuery = nil, ""
	return u.String()
}
