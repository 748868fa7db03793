package local

import (
	"bufio"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// planWorkspaceNode compares custom_nodes/<name> with the block. comfyhcl's marker is
// trusted first; a pack installed by other means is recognised by its pyproject version
// (registry) or its checked-out commit (git), so it is adopted rather than reinstalled.
func planWorkspaceNode(ctx context.Context, dir string, n plugins.NodeSpec) (plugins.NodePlan, plugins.Diagnostics) {
	plan := plugins.NodePlan{Installable: true, InstallMethod: methodRegistryZip, RestartRequired: true}
	if n.Git != "" {
		plan.InstallMethod = methodGitClone
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		plan.Status = plugins.NodeAbsent
		return plan, nil
	case err != nil:
		return plugins.NodePlan{}, attrError("Cannot read the node pack directory", "", "%s", err)
	case !fi.IsDir():
		return plugins.NodePlan{}, attrError("Node pack path is not a directory", "", "%s is a file; move it away so the pack can be installed there.", dir)
	}
	mk, hasMarker := readMarker(dir)
	if n.Registry != "" {
		return planRegistryDir(dir, n, mk, hasMarker, plan), nil
	}
	return planGitDir(ctx, dir, n, mk, hasMarker, plan), nil
}

func planRegistryDir(dir string, n plugins.NodeSpec, mk packMarker, hasMarker bool, plan plugins.NodePlan) plugins.NodePlan {
	version := ""
	switch {
	case hasMarker && mk.Registry == n.Registry:
		version = mk.Version
		if !mk.Complete {
			version += " (requirements not installed)"
		}
	case hasMarker:
		version = "git " + mk.Commit
	default:
		version = pyprojectVersion(filepath.Join(dir, "pyproject.toml"))
	}
	plan.InstalledVersion = version
	if strings.TrimPrefix(version, "v") == strings.TrimPrefix(n.Version, "v") {
		plan.Status, plan.RestartRequired = plugins.NodePresent, false
		return plan
	}
	plan.Status = plugins.NodeDifferent
	if plan.InstalledVersion == "" {
		plan.InstalledVersion = "unknown"
	}
	return plan
}

func planGitDir(ctx context.Context, dir string, n plugins.NodeSpec, mk packMarker, hasMarker bool, plan plugins.NodePlan) plugins.NodePlan {
	plan.Status = plugins.NodeDifferent
	if hasMarker && mk.Archive { // installed from a source archive: no checkout to ask
		plan.InstalledVersion, plan.InstalledCommit = mk.Ref, mk.Commit
		if mk.Git == redactGitURL(n.Git) && mk.Ref == n.Ref && mk.Complete {
			plan.Status, plan.RestartRequired = plugins.NodePresent, false
		}
		return plan
	}
	head, err := "", error(nil)
	if _, err = os.Stat(filepath.Join(dir, ".git")); err == nil {
		head, err = gitOutput(ctx, dir, "rev-parse", "HEAD")
	}
	if err != nil {
		plan.InstalledVersion = "not a git checkout"
		return plan
	}
	plan.InstalledCommit = head
	want := ""
	switch {
	case hasMarker && mk.Git == redactGitURL(n.Git) && mk.Ref == n.Ref && mk.Complete:
		want = mk.Commit
	case !hasMarker || mk.Git == redactGitURL(n.Git):
		want, _ = resolveRef(ctx, dir, n.Ref)
	}
	if want != "" && want == head && (!hasMarker || mk.Complete) {
		plan.Status, plan.RestartRequired = plugins.NodePresent, false
	}
	return plan
}

// pyprojectVersion reads [project] version from a pyproject.toml (the registry's source
// of a pack's version); "" when there is none.
func pyprojectVersion(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		if section != "[project]" {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if ok && strings.TrimSpace(key) == "version" {
			val = strings.TrimSpace(val)
			if i := strings.Index(val, "#"); i > 0 {
				val = strings.TrimSpace(val[:i])
			}
			return strings.Trim(val, `"'`)
		}
	}
	return ""
}
