package core

import (
	"encoding/json"
	"fmt"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

// goValue turns a known cty value into the JSON-like Go value core/workflow works with
// (string, bool, nil, json.Number, []any, map[string]any).
func goValue(v cty.Value) (any, error) {
	v, _ = v.Unmark()
	if !v.IsKnown() {
		return nil, fmt.Errorf("value is not known until apply")
	}
	if v.IsNull() {
		return nil, nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString(), nil
	case t == cty.Bool:
		return v.True(), nil
	case t == cty.Number:
		return json.Number(v.AsBigFloat().Text('g', -1)), nil
	case t.IsListType() || t.IsTupleType() || t.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, ev := it.Element()
			gv, err := goValue(ev)
			if err != nil {
				return nil, err
			}
			out = append(out, gv)
		}
		return out, nil
	case t.IsMapType() || t.IsObjectType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			gv, err := goValue(ev)
			if err != nil {
				return nil, err
			}
			out[k.AsString()] = gv
		}
		return out, nil
	}
	return nil, fmt.Errorf("values of type %s cannot be used here", t.FriendlyName())
}

// configureJSON decodes a provider block against the schema the provider reported and
// encodes it as the JSON object Configure takes.
func configureJSON(body hcl.Body, schema []plugins.AttributeSchema, scope *lang.Scope) ([]byte, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	attrs := make([]lang.AttributeSchema, 0, len(schema))
	for _, a := range schema {
		ty, tdiags := parseTypeExpr(a.Type)
		if tdiags.HasErrors() {
			diags = append(diags, errDiag("Provider reported an invalid schema",
				fmt.Sprintf("attribute %q has type %q, which is not an HCL type expression; report this to the provider's author", a.Name, a.Type), nil))
			continue
		}
		attrs = append(attrs, lang.AttributeSchema{Name: a.Name, Type: ty, Required: a.Required, Sensitive: a.Sensitive, Description: a.Description})
	}
	if body == nil {
		body = hcl.EmptyBody()
	}
	vals, vdiags := lang.DecodeProviderConfig(body, attrs, scope)
	diags = append(diags, vdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	obj := map[string]json.RawMessage{}
	for name, v := range vals {
		v, _ = v.UnmarkDeep()
		if v.IsNull() {
			continue
		}
		b, err := ctyjson.Marshal(v, v.Type())
		if err != nil {
			diags = append(diags, errDiag("Cannot encode provider attribute", name+": "+err.Error(), nil))
			continue
		}
		obj[name] = b
	}
	out, err := json.Marshal(obj)
	if err != nil {
		diags = append(diags, errDiag("Cannot encode provider configuration", err.Error(), nil))
	}
	return out, diags
}

func parseTypeExpr(src string) (cty.Type, hcl.Diagnostics) {
	expr, diags := hclsyntax.ParseExpression([]byte(src), "<provider schema>", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicPseudoType, diags
	}
	return typeexpr.TypeConstraint(expr)
}
