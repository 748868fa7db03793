package lang

import (
	"fmt"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// Scope is what an expression can see: the values of var., local., model., node. and
// render. references, and the functions rooted at BaseDir. The core fills it in dependency
// order; cty values are immutable, so each EvalContext call builds a fresh context from
// the current maps.
type Scope struct {
	BaseDir   string               // paths in functions resolve from here
	Variables map[string]cty.Value // var.*
	Locals    map[string]cty.Value // local.*
	Models    map[string]cty.Value // model.<name> objects (folder, file, sha256, ...)
	Nodes     map[string]cty.Value
	Renders   map[string]cty.Value

	funcs map[string]function.Function // nil: Functions(BaseDir)
}

// EvalContext is an hcl.EvalContext with the scope's values and every function.
func (s *Scope) EvalContext() *hcl.EvalContext {
	funcs := s.funcs
	if funcs == nil {
		funcs = cachedFunctions(s.BaseDir)
	}
	return &hcl.EvalContext{
		Variables: map[string]cty.Value{
			"var":    objectOf(s.Variables),
			"local":  objectOf(s.Locals),
			"model":  objectOf(s.Models),
			"node":   objectOf(s.Nodes),
			"render": objectOf(s.Renders),
		},
		Functions: funcs,
	}
}

var (
	funcCacheMu sync.Mutex
	funcCache   = map[string]map[string]function.Function{}
)

// cachedFunctions shares one function table per base directory: building it costs more
// than most evaluations, and the tables are read-only once built.
func cachedFunctions(baseDir string) map[string]function.Function {
	funcCacheMu.Lock()
	defer funcCacheMu.Unlock()
	if f, ok := funcCache[baseDir]; ok {
		return f
	}
	f := Functions(baseDir)
	funcCache[baseDir] = f
	return f
}

func objectOf(m map[string]cty.Value) cty.Value {
	if len(m) == 0 {
		return cty.EmptyObjectVal
	}
	return cty.ObjectVal(m)
}

// Eval evaluates expr and converts the result to want (cty.DynamicPseudoType: no
// conversion). A nil expr yields a null of want. Sensitive marks survive the conversion.
// On error the result is an unknown of want, so callers can carry on type checking
// without a cascade of follow-on errors.
func (s *Scope) Eval(expr hcl.Expression, want cty.Type) (cty.Value, hcl.Diagnostics) {
	if expr == nil {
		return cty.NullVal(want), nil
	}
	val, diags := expr.Value(s.EvalContext())
	if diags.HasErrors() {
		return cty.UnknownVal(want), diags
	}
	out, d := convertValue(val, want, expr.Range(), "Incorrect value type")
	return out, append(diags, d...)
}

// convertValue converts val to want keeping marks; the diagnostic names the type
// mismatch but never the value.
func convertValue(val cty.Value, want cty.Type, rng hcl.Range, summary string) (cty.Value, hcl.Diagnostics) {
	if want == cty.DynamicPseudoType {
		return val, nil
	}
	raw, pvm := val.UnmarkDeepWithPaths()
	out, err := convert.Convert(raw, want)
	if err != nil {
		return cty.UnknownVal(want), hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  summary,
			Detail:   fmt.Sprintf("Expected %s: %s.", typeexpr.TypeString(want), convErrorText(err)),
			Subject:  rng.Ptr(),
		}}
	}
	return reapplyMarks(out, pvm), nil
}

// reapplyMarks puts marks back after a conversion, translating paths between objects and
// maps (attribute <-> string key). Where a path no longer exists in the converted value
// (a set, or a changed shape), the marks go on the whole value: redacting too much is
// safe, too little is not.
func reapplyMarks(v cty.Value, pvm []cty.PathValueMarks) cty.Value {
	var ok []cty.PathValueMarks
	var whole []cty.ValueMarks
	for _, p := range pvm {
		if path, found := adaptPath(v, p.Path); found {
			ok = append(ok, cty.PathValueMarks{Path: path, Marks: p.Marks})
		} else {
			whole = append(whole, p.Marks)
		}
	}
	v = v.MarkWithPaths(ok)
	for _, m := range whole {
		v = v.WithMarks(m)
	}
	return v
}

// adaptPath rewrites path so that it applies to v, or reports that it cannot.
func adaptPath(v cty.Value, path cty.Path) (cty.Path, bool) {
	out := make(cty.Path, 0, len(path))
	cur := v
	for _, step := range path {
		ty := cur.Type()
		switch st := step.(type) {
		case cty.GetAttrStep:
			if ty.IsMapType() {
				step = cty.IndexStep{Key: cty.StringVal(st.Name)}
			}
		case cty.IndexStep:
			if ty.IsObjectType() && st.Key.Type() == cty.String {
				step = cty.GetAttrStep{Name: st.Key.AsString()}
			}
			if ty.IsSetType() {
				return nil, false
			}
		}
		next, err := step.Apply(cur)
		if err != nil {
			return nil, false
		}
		out = append(out, step)
		cur = next
	}
	return out, true
}

// convErrorText describes a conversion error, with the path where there is one. cty's
// conversion errors describe types, never values.
func convErrorText(err error) string {
	if pe, ok := err.(cty.PathError); ok && len(pe.Path) > 0 {
		return fmt.Sprintf("%s: %s", formatPath(pe.Path), pe.Error())
	}
	return err.Error()
}

func formatPath(p cty.Path) string {
	s := ""
	for _, step := range p {
		switch st := step.(type) {
		case cty.GetAttrStep:
			if s == "" {
				s = "attribute " + fmt.Sprintf("%q", st.Name)
			} else {
				s += "." + st.Name
			}
		case cty.IndexStep:
			if st.Key.Type() == cty.String {
				s += fmt.Sprintf("[%q]", st.Key.AsString())
			} else if st.Key.Type() == cty.Number {
				s += fmt.Sprintf("[%s]", st.Key.AsBigFloat().String())
			}
		}
	}
	if s == "" {
		return "value"
	}
	return s
}
