package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

var variableBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "type"}, {Name: "default"}, {Name: "description"}, {Name: "sensitive"}, {Name: "nullable"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "validation"}},
}

var validationBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "condition", Required: true},
		{Name: "error_message", Required: true},
	},
}

func (c *Config) addVariable(block *hcl.Block) hcl.Diagnostics {
	v := &Variable{Name: block.Labels[0], Nullable: true, Type: cty.DynamicPseudoType, DeclRange: block.DefRange}
	diags := checkName("variable", v.Name, block.LabelRanges[0])
	content, d := block.Body.Content(variableBlockSchema)
	diags = append(diags, d...)
	if a, ok := content.Attributes["description"]; ok {
		s, d := literalString(a)
		diags, v.Description = append(diags, d...), s
	}
	if a, ok := content.Attributes["sensitive"]; ok {
		b, d := literalBool(a)
		diags, v.Sensitive = append(diags, d...), b
	}
	if a, ok := content.Attributes["nullable"]; ok {
		b, d := literalBool(a)
		diags, v.Nullable = append(diags, d...), b
	}
	if a, ok := content.Attributes["type"]; ok {
		v.TypeExpr = a.Expr
		ty, defs, d := typeexpr.TypeConstraintWithDefaults(a.Expr)
		diags = append(diags, d...)
		if !d.HasErrors() {
			v.Type, v.TypeDefaults = ty, defs
		}
	}
	if a, ok := content.Attributes["default"]; ok {
		v.Default = a.Expr
		diags = append(diags, c.checkVariableDefault(v, a.Expr)...)
	}
	for _, b := range content.Blocks {
		val, d := decodeValidation(v.Name, b)
		diags = append(diags, d...)
		if val != nil {
			v.Validations = append(v.Validations, val)
		}
	}
	if prev, ok := c.Variables[v.Name]; ok {
		return append(diags, duplicate("variable", "var."+v.Name, prev.DeclRange, v.DeclRange))
	}
	c.Variables[v.Name] = v
	return diags
}

// checkVariableDefault checks that a default is of the declared type. A default may call
// functions (default = env("COMFY_CLOUD_API_KEY"), as in the design) but not refer to
// anything; env() is unknown here, because whether it is set is a fact of the machine
// that runs plan, not of the configuration.
func (c *Config) checkVariableDefault(v *Variable, expr hcl.Expression) hcl.Diagnostics {
	val, diags := expr.Value(&hcl.EvalContext{Functions: loadTimeFunctions(c.Dir)})
	if diags.HasErrors() {
		return diags
	}
	if v.TypeDefaults != nil {
		val = v.TypeDefaults.Apply(val)
	}
	if _, err := convert.Convert(val, v.Type); err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid default value for variable",
			Detail:   fmt.Sprintf("This default value is not compatible with the variable's type constraint %s: %s.", typeexpr.TypeString(v.Type), convErrorText(err)),
			Subject:  expr.Range().Ptr(),
		}}
	}
	if val.IsNull() && !v.Nullable {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid default value for variable",
			Detail:   "A null default value is not valid when nullable = false.",
			Subject:  expr.Range().Ptr(),
		}}
	}
	return nil
}

func decodeValidation(varName string, block *hcl.Block) (*Validation, hcl.Diagnostics) {
	content, diags := block.Body.Content(validationBlockSchema)
	val := &Validation{DeclRange: block.DefRange}
	badRef := false
	if a, ok := content.Attributes["condition"]; ok {
		val.Condition = a.Expr
		self := false
		for _, t := range a.Expr.Variables() {
			ref, ok := referenceFor(t)
			if !ok {
				continue // reported when references are checked
			}
			if ref.Kind == "var" && ref.Name == varName {
				self = true
			} else if ref.Kind != "var" {
				badRef = true
				diags = append(diags, &hcl.Diagnostic{
					Severity: hcl.DiagError,
					Summary:  "Invalid reference in variable validation",
					Detail:   fmt.Sprintf("A validation condition may refer only to input variables; %s.%s is evaluated later, after variables are resolved.", ref.Kind, ref.Name),
					Subject:  ref.Range.Ptr(),
				})
			}
		}
		if !self {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid variable validation condition",
				Detail:   fmt.Sprintf("The condition must refer to var.%s, the variable it validates.", varName),
				Subject:  a.Expr.Range().Ptr(),
			})
		}
	}
	if a, ok := content.Attributes["error_message"]; ok {
		val.ErrorMessage = a.Expr
	}
	if val.Condition == nil || val.ErrorMessage == nil || badRef {
		return nil, diags
	}
	return val, diags
}
