package local

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// Install methods for node packs.
const (
	methodRegistryZip = "registry download"
	methodGitClone    = "git clone"
)

// markerFile records what comfyhcl installed in custom_nodes/<name>/.
const markerFile = ".comfyhcl.json"

type packMarker struct {
	Registry string `json:"registry,omitempty"`
	Version  string `json:"version,omitempty"`
	Git      string `json:"git,omitempty"`
	Ref      string `json:"ref,omitempty"`
	Commit   string `json:"commit,omitempty"`
	// Archive: a git pack installed from GitHub's source archive (no git on the machine).
	Archive bool `json:"archive,omitempty"`
	// Complete is set once the pack's requirements are installed too; a pack whose
	// dependencies failed is planned again.
	Complete bool `json:"complete"`
}

var packNameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$`)

// packDirName is the directory under custom_nodes/ for a node block: the registry id,
// or the repository name of a git URL.
func packDirName(n plugins.NodeSpec) (string, plugins.Diagnostics) {
	switch {
	case (n.Registry == "") == (n.Git == ""):
		return "", attrError("Node pack needs exactly one of registry and git", "",
			"set `registry` (a Comfy Registry id such as \"comfyui-impact-pack\") with `version`, or `git` (a repository URL) with `ref`.")
	case n.Registry != "":
		if !packNameRE.MatchString(n.Registry) || strings.Contains(n.Registry, "..") {
			return "", attrError("Invalid registry id", "registry", "%q is not a Comfy Registry id; ids are lowercase names like \"comfyui-impact-pack\" (see registry.comfy.org).", n.Registry)
		}
		if n.Version == "" {
			return "", attrError("Registry pack without a version", "version", "pin `version` (for example \"8.8.1\"); `comfyhcl` installs exact versions only.")
		}
		return n.Registry, nil
	}
	if n.Ref == "" {
		return "", attrError("Git pack without a ref", "ref", "pin `ref` to a tag, branch or commit of %s.", redactGitURL(n.Git))
	}
	if strings.HasPrefix(n.Ref, "-") {
		return "", attrError("Invalid git ref", "ref", "%q starts with '-'; give a tag, branch or commit.", n.Ref)
	}
	name := strings.TrimSuffix(strings.TrimRight(n.Git, "/"), ".git")
	if i := strings.LastIndexAny(name, "/:"); i >= 0 {
		name = name[i+1:]
	}
	if !packNameRE.MatchString(name) || strings.Contains(name, "..") || strings.HasPrefix(n.Git, "-") {
		return "", attrError("Invalid git URL", "git", "cannot take a pack directory name from %q; give the repository URL, like https://github.com/owner/ComfyUI-Pack.", redactGitURL(n.Git))
	}
	return name, nil
}

// PlanNode reports whether a node pack is installed at the declared version or commit.
func (p *Provider) PlanNode(ctx context.Context, n plugins.NodeSpec) (plugins.NodePlan, plugins.Diagnostics) {
	name, diags := packDirName(n)
	if diags.HasErrors() {
		return plugins.NodePlan{}, diags
	}
	ws, err := p.workspaceDir()
	if err != nil {
		return plugins.NodePlan{}, attrError("Workspace not usable", "", "%s", err)
	}
	if ws == "" {
		return p.planManagerNode(ctx, n, name)
	}
	dir := filepath.Join(ws, "custom_nodes", name)
	plan, diags := planWorkspaceNode(ctx, dir, n)
	if !diags.HasErrors() {
		diags = append(diags, p.notLoaded(ctx, dir, name, &plan)...)
	}
	if !diags.HasErrors() && plan.Status != plugins.NodePresent {
		// Say it in the plan rather than fail halfway through apply.
		if _, err := findInstaller(ws); err != nil {
			diags = append(diags, plugins.Diagnostic{Severity: plugins.SeverityWarning,
				Summary: "No Python environment for the pack's requirements",
				Detail:  "If " + name + " has a requirements.txt, apply cannot install it: " + err.Error()})
		}
	}
	return plan, diags
}

// ApplyNode installs (or re-pins) a node pack. ComfyUI loads custom nodes at start, so
// the result always asks for a restart.
func (p *Provider) ApplyNode(ctx context.Context, n plugins.NodeSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	if onProgress == nil {
		onProgress = func(plugins.InstallProgress) {}
	}
	name, diags := packDirName(n)
	if diags.HasErrors() {
		return plugins.InstallProgress{}, diags
	}
	ws, err := p.workspaceDir()
	if err != nil {
		return plugins.InstallProgress{}, attrError("Workspace not usable", "", "%s", err)
	}
	if ws == "" {
		return p.applyManagerNode(ctx, n, name, onProgress)
	}
	defer installLocks.lock("pack:" + filepath.Join(ws, "custom_nodes", name))()
	if err := os.MkdirAll(filepath.Join(ws, "custom_nodes"), 0o755); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot create custom_nodes", "", "%s", err)
	}
	if n.Registry != "" {
		return p.applyRegistryNode(ctx, ws, name, n, onProgress)
	}
	return p.applyGitNode(ctx, ws, name, n, onProgress)
}

func readMarker(dir string) (packMarker, bool) {
	b, err := os.ReadFile(filepath.Join(dir, markerFile))
	if err != nil {
		return packMarker{}, false
	}
	var m packMarker
	if json.Unmarshal(b, &m) != nil {
		return packMarker{}, false
	}
	return m, true
}

func writeMarker(dir string, m packMarker) error {
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp := filepath.Join(dir, markerFile+".tmp")
	if err := os.WriteFile(tmp, append(b, '\n'), 0o644); err != nil {
		return fmt.Errorf("writing %s: %w", markerFile, err)
	}
	return os.Rename(tmp, filepath.Join(dir, markerFile))
}
