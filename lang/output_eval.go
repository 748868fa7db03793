package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// EvalOutput evaluates an output's value. A value that is (or contains) a sensitive
// value is an error unless the output is declared sensitive, as in Terraform; a sensitive
// output's value is marked as a whole.
func (c *Config) EvalOutput(o *Output, scope *Scope) (cty.Value, hcl.Diagnostics) {
	if o.Value == nil {
		return cty.NullVal(cty.DynamicPseudoType), nil
	}
	v, diags := scope.Eval(o.Value, cty.DynamicPseudoType)
	if diags.HasErrors() {
		return v, diags
	}
	if o.Sensitive {
		return v.Mark(Sensitive), diags
	}
	if IsSensitive(v) {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Output refers to sensitive values",
			Detail: "This output's value is derived from a sensitive value, so comfyhcl would print it. " +
				"If you do intend to expose it, declare the output sensitive (sensitive = true); " +
				"it is then redacted in the output of plan, apply and output.",
			Subject: o.Value.Range().Ptr(),
		})
	}
	return v, diags
}
