package core

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/preflight"
	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// bytesPerGB: `requires` is written in GB as vendors print them (a "24 GB" card reports
// about 24,000 MiB), so decimal gigabytes avoid failing cards that are exactly enough.
const bytesPerGB = 1e9

// preflight checks the plan against the servers' capacity. Failed checks are errors
// unless the user asked for warnings (-preflight=warn).
func (e *Engine) preflight(plan *Plan, ev *evaluated) ([]preflight.Check, hcl.Diagnostics) {
	var checks []preflight.Check
	var diags hcl.Diagnostics
	servers := map[string]preflight.Server{}
	e.mu.Lock()
	for addr, inv := range e.inventories {
		s := preflight.Server{Provider: addr, RAMTotal: inv.raw.RAMTotal}
		for _, d := range inv.raw.Devices {
			if d.Type != "cpu" && d.VRAMTotal > 0 {
				s.HasGPU = true
				s.VRAMTotal = max(s.VRAMTotal, d.VRAMTotal)
			}
		}
		servers[addr] = s
	}
	e.mu.Unlock()
	sizes := map[string]int64{}
	downloads := map[string]int64{}
	for _, ch := range plan.Changes {
		if ch.Model == nil {
			continue
		}
		size := max(ch.Model.Spec.Size, ch.Model.Server.ActualSize)
		sizes[ch.Address] = size
		if ch.Action == ActionCreate || ch.Action == ActionReplace {
			downloads[ch.Provider] += size
		}
	}
	seen := map[string]bool{}
	for _, ch := range plan.Changes {
		if ch.Instance == nil || ch.Action == ActionNoOp || ch.Action == ActionDelete || seen[ch.Instance.Render] {
			continue
		}
		seen[ch.Instance.Render] = true
		srv, ok := servers[ch.Provider]
		if !ok {
			continue
		}
		d, estimated, ddiags := e.renderDemand(ch, sizes, ev)
		diags = append(diags, ddiags...)
		if estimated && !srv.HasGPU {
			continue // a CPU server runs anything, slowly; only an explicit `requires` fails it
		}
		for _, c := range preflight.CheckDemand(srv, d) {
			checks = append(checks, c)
			diags = append(diags, e.checkDiag(c, ch.Instance.DeclRange)...)
		}
	}
	for paddr, need := range downloads {
		ws := e.providerWorkspace(paddr, ev)
		if ws == "" || need == 0 {
			continue
		}
		c := preflight.CheckDisk("provider "+paddr, ws, need, func(p string) (int64, error) {
			free, _, err := host.OS{}.DiskFree(p)
			return free, err
		})
		checks = append(checks, c)
		diags = append(diags, e.checkDiag(c, hcl.Range{})...)
	}
	return checks, diags
}

// renderDemand is what a render needs: its `requires` block, else the total size of the
// models it loads (estimated is then true).
func (e *Engine) renderDemand(ch *Change, sizes map[string]int64, ev *evaluated) (preflight.Demand, bool, hcl.Diagnostics) {
	r := e.opts.Config.Renders[ch.Instance.Render]
	d := preflight.Demand{Subject: "render." + r.Name}
	var diags hcl.Diagnostics
	if r.Requires != nil {
		gb := func(expr hcl.Expression) int64 {
			if expr == nil {
				return 0
			}
			v, dd := ev.scope.Eval(expr, cty.Number)
			diags = append(diags, dd...)
			if dd.HasErrors() || v.IsNull() {
				return 0
			}
			v, _ = v.Unmark()
			f, _ := v.AsBigFloat().Float64()
			return int64(f * bytesPerGB)
		}
		d.VRAM, d.RAM = gb(r.Requires.VRAMGB), gb(r.Requires.RAMGB)
		d.Source = fmt.Sprintf("requires (%s:%d)", filepath.Base(r.Requires.DeclRange.Filename), r.Requires.DeclRange.Start.Line)
		return d, false, diags
	}
	var names []string
	for _, dep := range ch.DependsOn {
		if n := sizes[dep]; n > 0 {
			d.VRAM += n
			names = append(names, dep)
		}
	}
	d.Source = "sizes of " + strings.Join(names, " + ")
	return d, true, diags
}

func (e *Engine) checkDiag(c preflight.Check, subject hcl.Range) hcl.Diagnostics {
	if c.Level == preflight.OK {
		return nil
	}
	sev := hcl.DiagWarning
	if c.Level == preflight.Fail && !e.opts.PreflightWarn {
		sev = hcl.DiagError
	}
	detail := c.Detail + " (" + c.Source + ")."
	if sev == hcl.DiagError {
		detail += " Pass -preflight=warn to apply anyway."
	}
	return hcl.Diagnostics{{Severity: sev, Summary: fmt.Sprintf("Preflight: %s %s", c.Subject, c.What), Detail: detail, Subject: rangePtr(subject)}}
}

// providerWorkspace reads the `workspace` attribute of a provider block, if any.
func (e *Engine) providerWorkspace(addr string, ev *evaluated) string {
	p := e.opts.Config.Providers[addr]
	if p == nil || p.Config == nil {
		return ""
	}
	attrs, _ := p.Config.JustAttributes()
	a, ok := attrs["workspace"]
	if !ok {
		return ""
	}
	v, diags := ev.scope.Eval(a.Expr, cty.String)
	if diags.HasErrors() || v.IsNull() {
		return ""
	}
	v, _ = v.Unmark()
	ws := v.AsString()
	if !filepath.IsAbs(ws) {
		ws = filepath.Join(e.opts.Config.Dir, ws)
	}
	return ws
}
