package local

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// InstallMethod values the plan shows.
const (
	methodWorkspaceDownload = "workspace download"
	methodManager           = "ComfyUI-Manager"
)

var sha256Hex = regexp.MustCompile(`^[0-9a-f]{64}$`)

// PlanModel reports what the server has of one model file. With a workspace the file is
// looked at (and hashed) on disk; without one the server's model list or ComfyUI-Manager
// answers.
func (p *Provider) PlanModel(ctx context.Context, m plugins.ModelSpec) (plugins.ModelPlan, plugins.Diagnostics) {
	m.SHA256 = strings.ToLower(m.SHA256)
	if m.SHA256 != "" && !sha256Hex.MatchString(m.SHA256) {
		return plugins.ModelPlan{}, attrError("Invalid sha256", "sha256", "%q is not 64 hexadecimal digits; copy the file's SHA-256 from its download page, or compute it with `sha256sum FILE`.", m.SHA256)
	}
	ws, err := p.workspaceDir()
	if err != nil {
		return plugins.ModelPlan{}, attrError("Workspace not usable", "", "%s", err)
	}
	if ws == "" {
		return p.planRemoteModel(ctx, m)
	}
	rel, diags := locateModel(ws, m)
	if diags.HasErrors() {
		return plugins.ModelPlan{}, diags
	}
	fi, err := os.Stat(keyPath(ws, rel))
	switch {
	case errors.Is(err, fs.ErrNotExist):
		plan := plugins.ModelPlan{Status: plugins.ModelAbsent, Installable: m.Source != "", InstallMethod: methodWorkspaceDownload}
		if m.Source == "" {
			plan.InstallMethod = ""
			return plan, attrError("Model file missing and no source to download it from", "source",
				"%s is not in the workspace. Add `source` (a URL) to the model block, or put the file there.", rel)
		}
		return plan, nil
	case err != nil:
		return plugins.ModelPlan{}, attrError("Cannot read model file", "file", "%s", err)
	case fi.IsDir():
		return plugins.ModelPlan{}, attrError("Model path is a directory", "file", "%s is a directory in the workspace; point `file` at the model file inside it.", rel)
	}
	sum, err := hashModel(ctx, ws, rel, fi)
	if err != nil {
		return plugins.ModelPlan{}, attrError("Cannot hash model file", "file", "%s: %s", rel, err)
	}
	plan := plugins.ModelPlan{Status: plugins.ModelPresent, ActualSHA256: sum, ActualSize: fi.Size(), InstallMethod: methodWorkspaceDownload}
	if m.SHA256 != "" && sum != m.SHA256 {
		plan.Status, plan.Installable = plugins.ModelMismatch, m.Source != ""
	}
	return plan, nil
}

// ApplyModel downloads the model's source into the workspace, or asks ComfyUI-Manager
// to install it when there is no workspace.
func (p *Provider) ApplyModel(ctx context.Context, m plugins.ModelSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	m.SHA256 = strings.ToLower(m.SHA256)
	if onProgress == nil {
		onProgress = func(plugins.InstallProgress) {}
	}
	ws, err := p.workspaceDir()
	if err != nil {
		return plugins.InstallProgress{}, attrError("Workspace not usable", "", "%s", err)
	}
	if ws == "" {
		return p.applyRemoteModel(ctx, m, onProgress)
	}
	rel, diags := locateModel(ws, m)
	if diags.HasErrors() {
		return plugins.InstallProgress{}, diags
	}
	if d := checkSource(m.Source); d != nil {
		return plugins.InstallProgress{}, d
	}
	dest := keyPath(ws, rel)
	defer installLocks.lock("model:" + dest)()
	if fi, err := os.Stat(dest); err == nil && fi.Mode().IsRegular() && m.SHA256 != "" {
		// Already there with the declared content (another apply, or a copy by hand):
		// adopt it rather than download it again.
		if sum, err := hashModel(ctx, ws, rel, fi); err == nil && sum == m.SHA256 {
			return plugins.InstallProgress{Done: true, BytesDone: fi.Size(), BytesTotal: fi.Size(), SHA256: sum, Size: fi.Size(),
				Message: "already present with the declared sha256: " + rel}, nil
		}
	}
	if err := os.MkdirAll(filepath.Dir(dest), 0o755); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot create the model folder", "folder", "%s", err)
	}
	f := &fetcher{URL: m.Source, Headers: m.Headers, Dest: dest, SHA256: m.SHA256, Size: m.Size, Log: p.log.Named("models"),
		Progress: func(done, total int64) {
			onProgress(plugins.InstallProgress{BytesDone: done, BytesTotal: total, Message: "downloading " + rel})
		}}
	res, err := f.run(ctx)
	if err != nil {
		summary, detail := "Cannot download model "+rel, err.Error()
		switch {
		case errors.Is(err, errHashMismatch):
			summary = "Downloaded model " + rel + " does not match its sha256"
		case errors.Is(err, syscall.ENOSPC):
			detail += fmt.Sprintf("\nThe disk holding %s is full: free space there (or point extra_model_paths.yaml at a larger disk) and apply again; the partial download is kept and resumes.", filepath.Dir(dest))
		}
		return plugins.InstallProgress{}, attrError(summary, "source", "%s", detail)
	}
	if fi, err := os.Stat(dest); err == nil {
		rememberHash(ws, rel, fi, res.SHA256)
	}
	return plugins.InstallProgress{Done: true, BytesDone: res.Size, BytesTotal: res.Size, SHA256: res.SHA256, Size: res.Size,
		Message: "downloaded " + rel}, nil
}

func modelPath(m plugins.ModelSpec) (string, plugins.Diagnostics) {
	rel, err := modelRelPath(m.Folder, m.File)
	if err != nil {
		attr := "file"
		if strings.HasPrefix(err.Error(), "folder") {
			attr = "folder"
		}
		return "", attrError("Invalid model path", attr, "%s. Model files live under models/<folder>/ in the workspace; subdirectories are fine, leaving the folder is not.", err)
	}
	return rel, nil
}

func checkSource(src string) plugins.Diagnostics {
	if src == "" {
		return attrError("No source to download the model from", "source", "add `source` (an http or https URL) to the model block.")
	}
	u, err := url.Parse(src)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return attrError("Invalid model source", "source", "%q is not an http(s) URL; give the file's direct download link.", redactedURL(src))
	}
	return nil
}

// attrError is one error diagnostic placed on an attribute of the block ("" = block).
func attrError(summary, attr, format string, args ...any) plugins.Diagnostics {
	d := plugins.Diagnostic{Severity: plugins.SeverityError, Summary: summary, Detail: fmt.Sprintf(format, args...)}
	if attr != "" {
		d.AttributePath = []string{attr}
	}
	return plugins.Diagnostics{d}
}
