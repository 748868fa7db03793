package cloud

import (
	"net/url"
	"path"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// importHosts are the only sources POST /api/assets/download accepts.
var importHosts = map[string]string{"huggingface.co": "Hugging Face", "civitai.com": "Civitai"}

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
	if strings.Contains(u.Hostname(), "huggingface.co") && strings.Contains(u.Path, "/blob/") {
		w = append(w, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Hugging Face page URL, not a download link", AttributePath: []string{"source"},
			Detail: "a /blob/ URL is the file's web page; use the same URL with /resolve/ in its place so Cloud downloads the file itself."})
	}
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
