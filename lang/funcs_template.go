package lang

import (
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
)

// makeTemplateFileFunc is templatefile(path, vars): the file rendered as an HCL template
// whose only variables are the keys of vars (and whose functions are fns()).
func makeTemplateFileFunc(baseDir string, fns func() map[string]function.Function) function.Function {
	render := func(args []cty.Value) (cty.Value, error) {
		path := args[0].AsString()
		src, err := readFile(resolvePath(baseDir, path))
		if err != nil {
			return cty.NilVal, err
		}
		if !utf8.Valid(src) {
			return cty.NilVal, fmt.Errorf("the template %s is not valid UTF-8", path)
		}
		expr, diags := hclsyntax.ParseTemplate(src, path, hcl.Pos{Line: 1, Column: 1, Byte: 0})
		if diags.HasErrors() {
			return cty.NilVal, diags
		}
		vars, marks := args[1].Unmark()
		if vars.IsNull() || !(vars.Type().IsObjectType() || vars.Type().IsMapType()) {
			return cty.NilVal, function.NewArgErrorf(1, "vars must be an object or map")
		}
		ctx := &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: fns()}
		for it := vars.ElementIterator(); it.Next(); {
			k, v := it.Element()
			if !hclsyntax.ValidIdentifier(k.AsString()) {
				return cty.NilVal, function.NewArgErrorf(1, "invalid template variable name %q: must be an identifier", k.AsString())
			}
			ctx.Variables[k.AsString()] = v
		}
		for _, t := range expr.Variables() {
			if _, ok := ctx.Variables[t.RootName()]; !ok {
				return cty.NilVal, function.NewArgErrorf(1, "vars map does not contain key %q, referenced at %s", t.RootName(), t.SourceRange())
			}
		}
		val, diags := expr.Value(ctx)
		if diags.HasErrors() {
			return cty.NilVal, diags
		}
		return val.WithMarks(marks), nil
	}
	return function.New(&function.Spec{
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType, AllowMarked: true},
		},
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return render(args)
		},
	})
}
