package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// checkApplyTimeRefs reports values that plan needs but that depend on a render's
// results, which exist only after apply. Only a render's params, uploads and previews
// (and outputs) may use another render's results: everything that decides what to do
// (count, sweep, seed_mode, workflow, output paths, models, nodes, provider settings)
// must be known at plan time, so comfyhcl never plans with "known after apply" shapes.
func (c *Config) checkApplyTimeRefs() hcl.Diagnostics {
	via := c.applyTimeDependencies()
	var diags hcl.Diagnostics
	check := func(what string, expr hcl.Expression) {
		refs, _ := References(expr)
		for _, r := range refs {
			reason := ""
			switch {
			case isApplyTime(r):
				reason = refText(r)
			case via[r.Addr()] != "":
				reason = fmt.Sprintf("%s (through %s)", via[r.Addr()], r.Addr())
			default:
				continue
			}
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value known only after apply",
				Detail:   fmt.Sprintf("The %s depends on %s, whose results exist only after it has run, but comfyhcl must know it when it plans. Only a render's params and uploads may use another render's results.", what, reason),
				Subject:  r.Range.Ptr(),
			})
			return
		}
	}
	for _, n := range sortedKeys(c.Renders) {
		r := c.Renders[n]
		for _, a := range []struct {
			name string
			expr hcl.Expression
		}{{"workflow", r.Workflow}, {"count", r.Count}, {"seed_mode", r.SeedMode}, {"sweep", r.Sweep},
			{"output_dir", r.OutputDir}, {"flat_output", r.FlatOutput}, {"timeout", r.Timeout}} {
			check(fmt.Sprintf("%s of render.%s", a.name, n), a.expr)
		}
		if r.Requires != nil {
			check("requires of render."+n, r.Requires.VRAMGB)
			check("requires of render."+n, r.Requires.RAMGB)
		}
	}
	for _, n := range sortedKeys(c.Models) {
		m := c.Models[n]
		for _, e := range []hcl.Expression{m.Folder, m.File, m.Source, m.SHA256, m.Size, m.Headers} {
			check("model."+n, e)
		}
	}
	for _, n := range sortedKeys(c.Nodes) {
		p := c.Nodes[n]
		for _, e := range []hcl.Expression{p.Registry, p.Version, p.Git, p.Ref} {
			check("node."+n, e)
		}
	}
	for _, addr := range sortedKeys(c.Providers) {
		for _, e := range bodyExprs(c.Providers[addr].Config) {
			check("configuration of provider "+addr, e)
		}
	}
	return diags
}

// PlanTimeRenderAttributes are the render attributes known when planning; the others
// (files) exist only after the render has run.
var PlanTimeRenderAttributes = []string{"instances", "name", "output_dir"}

// isApplyTime reports whether a reference reads a render result that exists only after
// apply (a whole render object counts: it holds the files).
func isApplyTime(r Reference) bool {
	if r.Kind != "render" {
		return false
	}
	for _, a := range PlanTimeRenderAttributes {
		if r.Attr == a {
			return false
		}
	}
	return true
}

// applyTimeDependencies maps each local and output whose value depends on a render
// result, directly or through other locals, to that render reference.
func (c *Config) applyTimeDependencies() map[string]string {
	refs := map[string][]Reference{}
	for _, b := range c.blocks() {
		for _, e := range b.exprs {
			rs, _ := References(e)
			refs[b.addr] = append(refs[b.addr], rs...)
		}
	}
	memo := map[string]string{}
	visiting := map[string]bool{}
	var visit func(a string) string
	visit = func(a string) string {
		if r, ok := memo[a]; ok {
			return r
		}
		if visiting[a] {
			return "" // a cycle, reported elsewhere
		}
		visiting[a] = true
		found := ""
		for _, r := range refs[a] {
			switch {
			case isApplyTime(r):
				found = refText(r)
			case r.Kind == "local":
				found = visit(r.Addr())
			}
			if found != "" {
				break
			}
		}
		visiting[a] = false
		memo[a] = found
		return found
	}
	out := map[string]string{}
	for a := range refs {
		if r := visit(a); r != "" {
			out[a] = r
		}
	}
	return out
}

func refText(r Reference) string {
	if r.Attr == "" {
		return r.Addr()
	}
	return r.Addr() + "." + r.Attr
}
