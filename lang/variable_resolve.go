package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ResolveVariables gives every declared variable its value from in and the vars files,
// applies type conversion, optional-attribute defaults, nullable and validation blocks,
// and marks sensitive variables. A required variable without a value is an error.
func (c *Config) ResolveVariables(in VariableInputs) (map[string]cty.Value, hcl.Diagnostics) {
	raw, diags := c.collectVariableValues(in)
	out := make(map[string]cty.Value, len(c.Variables))
	for _, name := range sortedKeys(c.Variables) {
		v := c.Variables[name]
		val, d := c.finalizeVariable(v, raw[name], in)
		diags = append(diags, d...)
		out[name] = val
	}
	// Validation conditions see all variables, as in Terraform 1.9+.
	for _, name := range sortedKeys(c.Variables) {
		diags = append(diags, c.validateVariable(c.Variables[name], out, raw[name])...)
	}
	return out, diags
}

// finalizeVariable turns the winning raw value (or the default) into the final value.
func (c *Config) finalizeVariable(v *Variable, rv *rawValue, in VariableInputs) (cty.Value, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	if rv == nil && v.Default == nil && in.Prompt != nil {
		if s, ok := in.Prompt(v.Name, v.Description); ok {
			rv = &rawValue{text: s, fromCLI: true, source: "the prompt", rng: v.DeclRange}
		}
	}
	var val cty.Value
	rng := v.DeclRange
	switch {
	case rv != nil:
		var d hcl.Diagnostics
		val, d = rv.value(v)
		diags = append(diags, d...)
		rng = rv.rng
		if d.HasErrors() {
			return unknownVar(v), diags
		}
	case v.Default != nil:
		if c.checkVariableDefault(v, v.Default).HasErrors() {
			return unknownVar(v), diags // reported by LoadDir
		}
		var d hcl.Diagnostics
		val, d = v.Default.Value(c.defaultsContext(in.static))
		if d.HasErrors() {
			return unknownVar(v), append(diags, d...) // env() of an unset variable
		}
		rng = v.Default.Range()
	default:
		return unknownVar(v), append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No value for required variable",
			Detail:   fmt.Sprintf("The variable %q has no default, so it needs a value: -var %s=..., a vars file, or the environment variable %s%s.", v.Name, v.Name, EnvVarPrefix, v.Name),
			Subject:  v.DeclRange.Ptr(),
		})
	}
	if val.IsNull() && !v.Nullable {
		if v.Default != nil && rv != nil {
			if dv, d := v.Default.Value(c.defaultsContext(in.static)); !d.HasErrors() && !dv.IsNull() {
				val, rng = dv, v.Default.Range()
			}
		}
		if val.IsNull() {
			return unknownVar(v), append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid value for variable",
				Detail:   fmt.Sprintf("The variable %q is not nullable, so its value must not be null.", v.Name),
				Subject:  rng.Ptr(),
			})
		}
	}
	if v.TypeDefaults != nil && !val.IsNull() {
		val = v.TypeDefaults.Apply(val)
	}
	val, d := convertValue(val, v.Type, rng, "Invalid value for variable")
	if d.HasErrors() {
		d[0].Detail = fmt.Sprintf("The value for var.%s is not valid: %s", v.Name, d[0].Detail)
	}
	diags = append(diags, d...)
	if v.Sensitive {
		val = val.Mark(Sensitive)
	}
	return val, diags
}

func unknownVar(v *Variable) cty.Value {
	u := cty.UnknownVal(v.Type)
	if v.Sensitive {
		u = u.Mark(Sensitive)
	}
	return u
}

// defaultsContext is what a variable's default sees: every function, no references.
func (c *Config) defaultsContext(static bool) *hcl.EvalContext {
	if static {
		return &hcl.EvalContext{Functions: loadTimeFunctions(c.Dir)}
	}
	return &hcl.EvalContext{Functions: cachedFunctions(c.Dir)}
}
