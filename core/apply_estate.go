package core

import (
	"context"
	"fmt"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// applyEstate downloads, installs, adopts or forgets one model or node pack.
func (a *applier) applyEstate(ctx context.Context, ch *Change, _ func()) hcl.Diagnostics {
	if ch.Action == ActionDelete {
		return a.persist(func(s *state.State) {
			ps := s.Provider(ch.Provider)
			if ch.Model != nil {
				delete(ps.Models, ch.Model.Name)
			} else {
				delete(ps.Nodes, ch.Node.Name)
			}
		})
	}
	p, ok := a.e.providers[ch.Provider]
	if !ok {
		return hcl.Diagnostics{errDiag("Provider not started", "internal error: provider "+ch.Provider+" was not started during plan", nil)}
	}
	onProgress := func(ip plugins.InstallProgress) { a.hooks.InstallProgress(ch.Address, ip) }
	if ch.Model != nil {
		return a.applyModel(ctx, ch, p, onProgress)
	}
	return a.applyNode(ctx, ch, p, onProgress)
}

func (a *applier) applyModel(ctx context.Context, ch *Change, p *liveProvider, onProgress func(plugins.InstallProgress)) hcl.Diagnostics {
	mc := ch.Model
	record := &state.Model{Folder: mc.Spec.Folder, File: mc.Spec.File, Source: mc.Spec.Source, SHA256: mc.Spec.SHA256, Size: mc.Spec.Size}
	if ch.Action == ActionAdopt {
		record.Adopted = true
		if record.SHA256 == "" {
			record.SHA256, record.Size = mc.Server.ActualSHA256, mc.Server.ActualSize
		}
	} else {
		final, pdiags := p.inst.ApplyModel(ctx, mc.Spec, onProgress)
		if pdiags.HasErrors() {
			a.hooks.InstallFinished(ch.Address, false, "")
			return providerDiags(pdiags, mc.DeclRange)
		}
		if mc.Spec.SHA256 != "" && final.SHA256 != "" && final.SHA256 != mc.Spec.SHA256 {
			a.hooks.InstallFinished(ch.Address, false, "")
			return hcl.Diagnostics{errDiag(fmt.Sprintf("%s downloaded with the wrong content", ch.Address),
				fmt.Sprintf("The provider reports sha256 %s, the configuration pins %s. Check `source` and `sha256`.", final.SHA256, mc.Spec.SHA256), rangePtr(mc.DeclRange))}
		}
		record.SHA256, record.Size = final.SHA256, final.Size
	}
	if d := a.recordModel(mc.Spec, record.SHA256, record.Size, mc.DeclRange); d.HasErrors() {
		a.hooks.InstallFinished(ch.Address, false, "")
		return d
	}
	a.hooks.InstallFinished(ch.Address, true, fmt.Sprintf("%s/%s (%s)", record.Folder, record.File, ch.Action))
	return a.persist(func(s *state.State) { s.Provider(ch.Provider).Models[mc.Name] = record })
}

func (a *applier) applyNode(ctx context.Context, ch *Change, p *liveProvider, onProgress func(plugins.InstallProgress)) hcl.Diagnostics {
	nc := ch.Node
	record := &state.NodePack{Registry: nc.Spec.Registry, Version: nc.Spec.Version, Git: nc.Spec.Git, Commit: nc.Server.InstalledCommit}
	var diags hcl.Diagnostics
	if ch.Action != ActionAdopt {
		final, pdiags := p.inst.ApplyNode(ctx, nc.Spec, onProgress)
		diags = providerDiags(pdiags, nc.DeclRange)
		if pdiags.HasErrors() {
			a.hooks.InstallFinished(ch.Address, false, "")
			return diags
		}
		if final.Version != "" {
			record.Version = final.Version
		}
		record.Commit = final.Commit
		if final.RestartRequired {
			a.mu.Lock()
			a.restart[ch.Provider] = append(a.restart[ch.Provider], ch.Address)
			a.mu.Unlock()
		}
	}
	if d := a.recordNode(nc.Spec, record.Version, record.Commit, nc.DeclRange); d.HasErrors() {
		a.hooks.InstallFinished(ch.Address, false, "")
		return append(diags, d...)
	}
	a.hooks.InstallFinished(ch.Address, true, string(ch.Action))
	return append(diags, a.persist(func(s *state.State) { s.Provider(ch.Provider).Nodes[nc.Name] = record })...)
}

// restartServers restarts, once, each server whose new node packs need it and that
// comfyhcl launched; for any other it says what to do.
func (a *applier) restartServers(ctx context.Context) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, paddr := range sortedNames(a.restart) {
		packs := a.restart[paddr]
		a.e.mu.Lock()
		ws := a.e.workspaces[paddr]
		a.e.mu.Unlock()
		if ws != "" && a.e.opts.RestartServer != nil {
			restarted, err := a.e.opts.RestartServer(ctx, ws)
			if err == nil && restarted {
				a.hooks.InstallFinished("provider."+paddr, true, "server restarted to load "+strings.Join(packs, ", "))
				continue
			}
			if err != nil {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Cannot restart the server", Detail: err.Error()})
			}
		}
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning,
			Summary: fmt.Sprintf("Restart ComfyUI (provider %s) to load %s", paddr, strings.Join(packs, ", ")),
			Detail:  "ComfyUI loads custom node packs when it starts. Restart the server, then run apply again; renders that use the new node classes fail until then. A server started with `comfyhcl setup` is restarted by apply itself."})
	}
	return diags
}
