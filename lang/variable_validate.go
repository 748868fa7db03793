package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// validateVariable runs the validation blocks of v against the resolved values. The
// error message is the rule's error_message; a value that is sensitive is never quoted.
func (c *Config) validateVariable(v *Variable, vals map[string]cty.Value, rv *rawValue) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if !vals[v.Name].IsWhollyKnown() {
		return nil
	}
	scope := &Scope{BaseDir: c.Dir, Variables: vals}
	ctx := scope.EvalContext()
	subject := v.DeclRange
	if rv != nil {
		subject = rv.rng
	} else if v.Default != nil {
		subject = v.Default.Range()
	}
	for _, rule := range v.Validations {
		if !c.refsDeclared(rule.Condition) || !c.refsDeclared(rule.ErrorMessage) {
			continue // DependencyGraph reports the undeclared reference
		}
		res, d := rule.Condition.Value(ctx)
		if d.HasErrors() {
			diags = append(diags, d...)
			continue
		}
		res, _ = res.Unmark()
		res, err := convert.Convert(res, cty.Bool)
		if err != nil || res.IsNull() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid validation result",
				Detail:   "The validation condition must produce true or false.",
				Subject:  rule.Condition.Range().Ptr(),
			})
			continue
		}
		if !res.IsKnown() || res.True() {
			continue
		}
		msg := "The value does not satisfy the validation rule."
		if m, d := rule.ErrorMessage.Value(ctx); !d.HasErrors() {
			if m.HasMark(Sensitive) || IsSensitive(m) {
				msg = "(sensitive value)"
			} else if ms, err := convert.Convert(m, cty.String); err == nil && !ms.IsNull() && ms.IsKnown() {
				msg = ms.AsString()
			}
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("%s\n\nThis was checked by the validation rule at %s.", msg, rule.DeclRange),
			Subject:  subject.Ptr(),
		})
	}
	return diags
}

// refsDeclared reports whether every reference of expr names a declared object.
func (c *Config) refsDeclared(expr hcl.Expression) bool {
	refs, diags := References(expr)
	if diags.HasErrors() {
		return false
	}
	for _, r := range refs {
		if !c.exists(r.Kind, r.Name) {
			return false
		}
	}
	return true
}
