package local

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// planManagerNode answers from ComfyUI-Manager's installed list when there is no
// workspace; without Manager the plan says what to do.
func (p *Provider) planManagerNode(ctx context.Context, n plugins.NodeSpec, name string) (plugins.NodePlan, plugins.Diagnostics) {
	mgr, err := p.manager(ctx)
	if err != nil {
		return plugins.NodePlan{}, plugins.FromError("Cannot reach the ComfyUI server", err)
	}
	if mgr == nil {
		return plugins.NodePlan{Status: plugins.NodeUnknown}, attrError("This server cannot install node packs", "",
			"the provider has no `workspace` and the server has no ComfyUI-Manager. Set `workspace` in the provider \"local\" block to the ComfyUI directory, or on the server host run:\n  %s\nand restart ComfyUI.", comfyCLINodeCommand(n, name))
	}
	installed, err := mgr.installed(ctx)
	if err != nil {
		return plugins.NodePlan{}, plugins.FromError("Cannot list the server's node packs", err)
	}
	plan := plugins.NodePlan{Status: plugins.NodeAbsent, Installable: true, InstallMethod: methodManager, RestartRequired: true}
	var diags plugins.Diagnostics
	if n.Git != "" {
		diags = plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: "ComfyUI-Manager cannot pin a git ref",
			Detail: "Without `workspace`, ComfyUI-Manager installs " + redactGitURL(n.Git) + " at its default branch, not at ref " + n.Ref + "; set `workspace` for an exact checkout."}}
	}
	pack, ok := findInstalled(installed, n, name)
	if !ok {
		return plan, diags
	}
	if n.Registry != "" {
		plan.InstalledVersion = pack.Ver
	} else {
		plan.InstalledCommit = pack.Ver
	}
	if sameVersion(pack.Ver, n) {
		plan.Status, plan.RestartRequired = plugins.NodePresent, false
		return plan, nil
	}
	plan.Status = plugins.NodeDifferent
	return plan, diags
}

// applyManagerNode queues the install on ComfyUI-Manager, waits for its queue and reads
// the installed list back.
func (p *Provider) applyManagerNode(ctx context.Context, n plugins.NodeSpec, name string, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	mgr, err := p.manager(ctx)
	if err != nil {
		return plugins.InstallProgress{}, plugins.FromError("Cannot reach the ComfyUI server", err)
	}
	if mgr == nil {
		return plugins.InstallProgress{}, attrError("This server cannot install node packs", "",
			"set `workspace`, or on the server host run:\n  %s", comfyCLINodeCommand(n, name))
	}
	params := map[string]any{"id": n.Registry, "version": n.Version, "selected_version": n.Version,
		"channel": "default", "mode": "remote", "skip_post_install": false}
	if n.Git != "" {
		params = map[string]any{"id": name, "version": "unknown", "selected_version": "unknown", "files": []string{n.Git},
			"repository": n.Git, "channel": "default", "mode": "remote", "skip_post_install": false}
	}
	uiID, err := mgr.enqueue(ctx, "install", params)
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
		return plugins.InstallProgress{}, attrError("ComfyUI-Manager could not install "+name, "", "%s", err)
	}
	installed, err := mgr.installed(ctx)
	if err != nil {
		return plugins.InstallProgress{}, plugins.FromError("Cannot list the server's node packs", err)
	}
	pack, ok := findInstalled(installed, n, name)
	if !ok || (n.Registry != "" && !sameVersion(pack.Ver, n)) {
		return plugins.InstallProgress{}, attrError("ComfyUI-Manager did not install "+name, "",
			"its queue finished but the installed list shows %q; see the server log. Alternatively on the server host run:\n  %s", pack.Ver, comfyCLINodeCommand(n, name))
	}
	res := plugins.InstallProgress{Done: true, Version: n.Version, RestartRequired: true,
		Message: "installed by ComfyUI-Manager; restart ComfyUI to load it"}
	if n.Git != "" {
		res.Version, res.Commit = "", pack.Ver
	}
	return res, nil
}

// findInstalled finds a pack in Manager's list by registry id, GitHub owner/repo, or
// directory name.
func findInstalled(list map[string]installedPack, n plugins.NodeSpec, name string) (installedPack, bool) {
	aux := ""
	if u, err := url.Parse(n.Git); err == nil && n.Git != "" {
		aux = strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git")
	}
	for dir, pk := range list {
		switch {
		case n.Registry != "" && strings.EqualFold(pk.CNRID, n.Registry),
			aux != "" && strings.EqualFold(pk.AuxID, aux),
			strings.EqualFold(dir, name):
			return pk, true
		}
	}
	return installedPack{}, false
}

func sameVersion(ver string, n plugins.NodeSpec) bool {
	if n.Registry != "" {
		return strings.TrimPrefix(ver, "v") == strings.TrimPrefix(n.Version, "v")
	}
	v, r := strings.ToLower(ver), strings.ToLower(n.Ref)
	return v == r || len(v) >= 7 && len(r) >= 7 && (strings.HasPrefix(v, r) || strings.HasPrefix(r, v))
}

// comfyCLINodeCommand is the comfy-cli command that installs the pack (§3).
func comfyCLINodeCommand(n plugins.NodeSpec, name string) string {
	if n.Registry != "" {
		return "comfy node install " + shellQuote(n.Registry+"@"+n.Version)
	}
	return fmt.Sprintf("comfy node install %s && git -C custom_nodes/%s checkout %s", shellQuote(redactGitURL(n.Git)), name, shellQuote(n.Ref))
}
