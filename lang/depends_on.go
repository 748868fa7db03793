package lang

import (
	"github.com/hashicorp/hcl/v2"
)

// decodeDependsOn decodes depends_on = [model.x, render.y]: block references only, with
// no attribute access (use a normal reference for that; it is a dependency too).
func decodeDependsOn(attr *hcl.Attribute) ([]hcl.Traversal, hcl.Diagnostics) {
	exprs, diags := hcl.ExprList(attr.Expr)
	if diags.HasErrors() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid depends_on",
			Detail:   "depends_on takes a list of block references, e.g. depends_on = [model.sdxl, node.impact].",
			Subject:  attr.Expr.Range().Ptr(),
		}}
	}
	var out []hcl.Traversal
	for _, e := range exprs {
		t, d := hcl.AbsTraversalForExpr(e)
		ok := !d.HasErrors() && len(t) == 2
		if ok {
			switch t.RootName() {
			case "model", "node", "render":
				_, ok = t[1].(hcl.TraverseAttr)
			default:
				ok = false
			}
		}
		if !ok {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid depends_on reference",
				Detail:   "depends_on accepts only whole model, node or render blocks, like model.sdxl; not attributes, variables or expressions.",
				Subject:  e.Range().Ptr(),
			})
			continue
		}
		out = append(out, t)
	}
	return out, diags
}
