package core

import (
	"fmt"
	"sort"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// evaluated is the configuration with every value the plan needs computed.
type evaluated struct {
	scope  *lang.Scope
	models map[string]*modelValue
}

// modelValue is a model block's evaluated attributes.
type modelValue struct {
	Name, Folder, File, Source, SHA256 string
	Size                               int64
	Headers                            map[string]string
	Provider                           string
	DeclRange                          hcl.Range
}

// evaluate computes variables, locals and model attributes, in that order: locals may
// use variables; models may use both; renders (evaluated per instance) may use all.
func (e *Engine) evaluate() (*evaluated, hcl.Diagnostics) {
	cfg := e.opts.Config
	vars, diags := cfg.ResolveVariables(e.opts.Variables)
	if diags.HasErrors() {
		return nil, diags
	}
	scope := &lang.Scope{BaseDir: cfg.Dir, Variables: vars, Locals: map[string]cty.Value{},
		Models: map[string]cty.Value{}, Nodes: map[string]cty.Value{}, Renders: map[string]cty.Value{}}
	diags = append(diags, evaluateLocals(cfg, scope)...)
	if diags.HasErrors() {
		return nil, diags
	}
	ev := &evaluated{scope: scope, models: map[string]*modelValue{}}
	for _, name := range sortedNames(cfg.Models) {
		m := cfg.Models[name]
		mv, mdiags := evaluateModel(m, scope)
		diags = append(diags, mdiags...)
		if mdiags.HasErrors() {
			continue
		}
		ev.models[name] = mv
		scope.Models[name] = cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(name), "folder": cty.StringVal(mv.Folder), "file": cty.StringVal(mv.File),
			"path": cty.StringVal(mv.Folder + "/" + mv.File), "source": cty.StringVal(mv.Source),
			"sha256": cty.StringVal(mv.SHA256), "size": cty.NumberIntVal(mv.Size),
		})
	}
	for _, name := range sortedNames(cfg.Nodes) {
		spec, ndiags := evaluateNodeSpec(cfg.Nodes[name], scope)
		diags = append(diags, ndiags...)
		scope.Nodes[name] = cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal(name), "registry": cty.StringVal(spec.Registry), "version": cty.StringVal(spec.Version),
			"git": cty.StringVal(spec.Git), "ref": cty.StringVal(spec.Ref), "commit": cty.StringVal(""),
		})
	}
	return ev, diags
}

// evaluateLocals evaluates locals in passes, so a local may use another whatever their
// order in the files; what cannot be resolved after a pass without progress is reported.
func evaluateLocals(cfg *lang.Config, scope *lang.Scope) hcl.Diagnostics {
	pending := sortedNames(cfg.Locals)
	for len(pending) > 0 {
		var next []string
		var lastDiags hcl.Diagnostics
		for _, name := range pending {
			l := cfg.Locals[name]
			if !refsReady(l.Expr, scope) {
				next = append(next, name)
				continue
			}
			v, diags := scope.Eval(l.Expr, cty.DynamicPseudoType)
			if diags.HasErrors() {
				lastDiags = append(lastDiags, diags...)
				continue
			}
			scope.Locals[name] = v
		}
		if lastDiags.HasErrors() {
			return lastDiags
		}
		if len(next) == len(pending) {
			return hcl.Diagnostics{errDiag("Locals refer to each other in a cycle",
				fmt.Sprintf("These locals cannot be evaluated because each needs another: %v. Break the cycle.", next),
				rangePtr(cfg.Locals[next[0]].DeclRange))}
		}
		pending = next
	}
	return nil
}

// refsReady reports whether every local the expression uses is already evaluated.
func refsReady(expr hcl.Expression, scope *lang.Scope) bool {
	refs, _ := lang.References(expr)
	for _, r := range refs {
		if r.Kind == "local" {
			if _, ok := scope.Locals[r.Name]; !ok {
				return false
			}
		}
	}
	return true
}

func evaluateModel(m *lang.Model, scope *lang.Scope) (*modelValue, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	str := func(expr hcl.Expression) string {
		if expr == nil {
			return ""
		}
		v, d := scope.Eval(expr, cty.String)
		diags = append(diags, d...)
		if d.HasErrors() || v.IsNull() {
			return ""
		}
		v, _ = v.Unmark()
		return v.AsString()
	}
	mv := &modelValue{Name: m.Name, Folder: str(m.Folder), File: str(m.File), Source: str(m.Source),
		SHA256: str(m.SHA256), DeclRange: m.DeclRange}
	if m.Size != nil {
		v, d := scope.Eval(m.Size, cty.Number)
		diags = append(diags, d...)
		if !d.HasErrors() && !v.IsNull() {
			v, _ = v.Unmark()
			n, _ := v.AsBigFloat().Int64()
			mv.Size = n
		}
	}
	if m.Headers != nil {
		v, d := scope.Eval(m.Headers, cty.Map(cty.String))
		diags = append(diags, d...)
		if !d.HasErrors() && !v.IsNull() {
			v, _ = v.UnmarkDeep()
			mv.Headers = map[string]string{}
			for k, hv := range v.AsValueMap() {
				mv.Headers[k] = hv.AsString()
			}
		}
	}
	if m.Provider != nil {
		mv.Provider = m.Provider.Addr()
	}
	return mv, diags
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
