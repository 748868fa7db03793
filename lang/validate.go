package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Validate runs every check that needs no server and no variable values beyond the
// config directory's vars files: references and their attributes, cycles, depends_on,
// provider references, the type of every expression (evaluated with unknown values in
// place of variables, env() and block results), function calls, sensitive outputs,
// values plan needs that would only be known after apply, literal workflow and upload
// files, the vars files, variables' validation rules on their defaults, and warnings.
// It never depends on the environment it runs in. LoadDir's own diagnostics are not
// repeated; call it on the Config LoadDir returned even when that had errors.
func (c *Config) Validate() hcl.Diagnostics {
	g, bad, diags := c.dependencyGraph()
	scope := c.staticScope()
	order := g.Order()
	for _, addr := range order {
		kind, name := splitAddr(addr)
		if kind != "local" {
			continue
		}
		if bad[addr] {
			scope.Locals[name] = cty.DynamicVal
			continue
		}
		v, d := scope.Eval(c.Locals[name].Expr, cty.DynamicPseudoType)
		diags = append(diags, d...)
		scope.Locals[name] = v
	}
	for _, name := range c.names("local") {
		if _, ok := scope.Locals[name]; !ok {
			scope.Locals[name] = cty.DynamicVal // in a cycle, already reported
		}
	}
	for _, addr := range g.Nodes {
		if bad[addr] {
			continue
		}
		diags = append(diags, c.validateBlock(addr, scope)...)
	}
	diags = append(diags, c.checkApplyTimeRefs()...)
	diags = append(diags, c.checkLocalFiles()...)
	diags = append(diags, c.warnings(g)...)
	_, vd := c.ResolveVariables(VariableInputs{static: true})
	for _, d := range vd {
		if d.Summary != "No value for required variable" {
			diags = append(diags, d)
		}
	}
	return diags
}

func splitAddr(addr string) (kind, name string) {
	for i := 0; i < len(addr); i++ {
		if addr[i] == '.' {
			return addr[:i], addr[i+1:]
		}
	}
	return addr, ""
}

// staticScope stands unknown values in for everything only a plan can know. Sensitive
// variables are marked, so that sensitivity flows through validate's evaluation as it
// will at plan time.
func (c *Config) staticScope() *Scope {
	s := &Scope{BaseDir: c.Dir, funcs: loadTimeFunctions(c.Dir), Variables: map[string]cty.Value{}, Locals: map[string]cty.Value{},
		Models: map[string]cty.Value{}, Nodes: map[string]cty.Value{}, Renders: map[string]cty.Value{}}
	for n, v := range c.Variables {
		s.Variables[n] = unknownVar(v)
	}
	for n := range c.Models {
		s.Models[n] = unknownObject(n, ModelAttributes, map[string]cty.Type{"size": cty.Number})
	}
	for n := range c.Nodes {
		s.Nodes[n] = unknownObject(n, NodeAttributes, nil)
	}
	for n := range c.Renders {
		s.Renders[n] = unknownObject(n, RenderAttributes, map[string]cty.Type{"files": cty.DynamicPseudoType, "instances": cty.DynamicPseudoType})
	}
	return s
}

func unknownObject(name string, attrs []string, types map[string]cty.Type) cty.Value {
	m := make(map[string]cty.Value, len(attrs))
	for _, a := range attrs {
		ty, ok := types[a]
		if !ok {
			ty = cty.String
		}
		m[a] = cty.UnknownVal(ty)
	}
	m["name"] = cty.StringVal(name)
	return cty.ObjectVal(m)
}

// typedExpr is an expression and the type it must convert to.
type typedExpr struct {
	expr hcl.Expression
	ty   cty.Type
}

func (c *Config) validateBlock(addr string, scope *Scope) hcl.Diagnostics {
	kind, name := splitAddr(addr)
	var exprs []typedExpr
	str, num, dyn := cty.String, cty.Number, cty.DynamicPseudoType
	switch kind {
	case "model":
		m := c.Models[name]
		exprs = []typedExpr{{m.Folder, str}, {m.File, str}, {m.Source, str}, {m.SHA256, str}, {m.Size, num}, {m.Headers, cty.Map(str)}}
	case "node":
		n := c.Nodes[name]
		exprs = []typedExpr{{n.Registry, str}, {n.Version, str}, {n.Git, str}, {n.Ref, str}}
	case "render":
		r := c.Renders[name]
		exprs = []typedExpr{{r.Workflow, dyn}, {r.Params, dyn}, {r.Uploads, cty.Map(str)}, {r.Count, num},
			{r.SeedMode, str}, {r.Sweep, dyn}, {r.OutputDir, str}, {r.FlatOutput, cty.Bool}, {r.Timeout, str}, {r.Previews, dyn}}
		if r.Requires != nil {
			exprs = append(exprs, typedExpr{r.Requires.VRAMGB, num}, typedExpr{r.Requires.RAMGB, num})
		}
	case "provider":
		for _, e := range bodyExprs(c.Providers[name].Config) {
			exprs = append(exprs, typedExpr{e, dyn})
		}
	case "output":
		_, diags := c.EvalOutput(c.Outputs[name], scope)
		return diags
	}
	var diags hcl.Diagnostics
	for _, e := range exprs {
		if e.expr != nil {
			_, d := scope.Eval(e.expr, e.ty)
			diags = append(diags, d...)
		}
	}
	return diags
}
