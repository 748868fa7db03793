package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// AttributeSchema is one attribute of a provider's configuration schema as the provider
// reports it (plugins' Metadata); the core translates it so lang needs no plugins import.
type AttributeSchema struct {
	Name        string
	Type        cty.Type
	Required    bool
	Sensitive   bool
	Description string
}

// DecodeProviderConfig decodes a provider block's body (Provider.Config) against the
// provider's schema and evaluates it in scope. An attribute missing from the schema is an
// error at that attribute with a did-you-mean; a Sensitive attribute's value is marked.
// Absent optional attributes are null in the result.
func DecodeProviderConfig(body hcl.Body, schema []AttributeSchema, scope *Scope) (map[string]cty.Value, hcl.Diagnostics) {
	out := make(map[string]cty.Value, len(schema))
	if body == nil {
		body = hcl.EmptyBody()
	}
	if scope == nil {
		scope = &Scope{}
	}
	names := make([]string, 0, len(schema))
	for _, a := range schema {
		names = append(names, a.Name)
	}
	attrs, diags := body.JustAttributes()
	for _, name := range sortedAttrNames(attrs) {
		found := false
		for _, a := range schema {
			found = found || a.Name == name
		}
		if !found {
			a := attrs[name]
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported argument",
				Detail:   fmt.Sprintf("An argument named %q is not expected here: the provider does not have it.%s", name, didYouMean(name, names)),
				Subject:  a.NameRange.Ptr(),
			})
		}
	}
	for _, a := range schema {
		attr, ok := attrs[a.Name]
		if !ok {
			if a.Required {
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Missing required argument",
					Detail:   fmt.Sprintf("The argument %q is required by this provider, but no definition was found.", a.Name),
					Subject:  body.MissingItemRange().Ptr(),
				})
			}
			out[a.Name] = cty.NullVal(a.Type)
			continue
		}
		v, d := scope.Eval(attr.Expr, a.Type)
		diags = append(diags, d...)
		if a.Sensitive {
			v = v.Mark(Sensitive)
		}
		if a.Required && v.IsNull() && !d.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Missing required argument",
				Detail:   fmt.Sprintf("The argument %q is required by this provider and must not be null.", a.Name),
				Subject:  attr.Expr.Range().Ptr(),
			})
		}
		out[a.Name] = v
	}
	return out, diags
}
