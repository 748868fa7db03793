package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// constValue evaluates expr when it holds no references, so that literal mistakes
// (count = "four", seed_mode = "randum") are reported by validate without a server.
// ok is false when the expression has references or cannot be evaluated statically;
// errors from evaluation itself are left for the later, full evaluation.
func constValue(expr hcl.Expression) (cty.Value, bool) {
	if expr == nil || len(expr.Variables()) > 0 {
		return cty.NilVal, false
	}
	v, diags := expr.Value(staticEvalContext)
	if diags.HasErrors() || !v.IsWhollyKnown() {
		return cty.NilVal, false
	}
	return v, true
}

// constAs is constValue converted to ty; ok is false when the conversion fails, because
// validate's evaluation reports that as "Incorrect value type".
func constAs(expr hcl.Expression, ty cty.Type) (cty.Value, bool) {
	v, ok := constValue(expr)
	if !ok {
		return v, false
	}
	v, err := convert.Convert(v, ty)
	return v, err == nil
}

// staticEvalContext has the pure functions but no variables and no filesystem access.
var staticEvalContext = &hcl.EvalContext{Functions: pureFunctions()}

// literalString decodes a string that must be a constant (descriptions, variable flags).
func literalString(attr *hcl.Attribute) (string, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return "", diags
	}
	if !v.IsKnown() {
		return "", nil // an expression with a syntax error, already reported
	}
	v, err := convert.Convert(v, cty.String)
	if err != nil || v.IsNull() {
		return "", hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid " + attr.Name,
			Detail:   fmt.Sprintf("The %s must be a literal string.", attr.Name),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return v.AsString(), nil
}

// literalBool decodes a bool that must be a constant (sensitive, nullable).
func literalBool(attr *hcl.Attribute) (bool, hcl.Diagnostics) {
	v, diags := attr.Expr.Value(nil)
	if diags.HasErrors() {
		return false, diags
	}
	if !v.IsKnown() {
		return false, nil // an expression with a syntax error, already reported
	}
	v, err := convert.Convert(v, cty.Bool)
	if err != nil || v.IsNull() {
		return false, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid " + attr.Name,
			Detail:   fmt.Sprintf("The %s argument must be true or false.", attr.Name),
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	return v.True(), nil
}

func attrExpr(content *hcl.BodyContent, name string) hcl.Expression {
	if a, ok := content.Attributes[name]; ok {
		return a.Expr
	}
	return nil
}

// loadTimeFunctions are the functions as LoadDir and Validate see them: like Functions,
// except that env() is unknown (its value belongs to the machine that runs plan).
func loadTimeFunctions(dir string) map[string]function.Function {
	all := cachedFunctions(dir)
	funcCacheMu.Lock()
	defer funcCacheMu.Unlock()
	if f, ok := loadTimeCache[dir]; ok {
		return f
	}
	fns := make(map[string]function.Function, len(all))
	for name, fn := range all {
		fns[name] = fn
	}
	fns["env"] = unknownEnvFunc
	loadTimeCache[dir] = fns
	return fns
}

var loadTimeCache = map[string]map[string]function.Function{}

var unknownEnvFunc = function.New(&function.Spec{
	Params:   []function.Parameter{{Name: "name", Type: cty.String}},
	VarParam: &function.Parameter{Name: "default", Type: cty.String, AllowNull: true},
	Type:     function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if len(args) > 2 {
			return cty.NilVal, fmt.Errorf("env takes a name and at most one default")
		}
		return cty.UnknownVal(cty.String), nil
	},
})
