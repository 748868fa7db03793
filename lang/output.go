package lang

import "github.com/hashicorp/hcl/v2"

var outputBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "value", Required: true}, {Name: "description"}, {Name: "sensitive"}, {Name: "depends_on"},
	},
}

func (c *Config) addOutput(block *hcl.Block) hcl.Diagnostics {
	o := &Output{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("output", o.Name, block.LabelRanges[0])
	content, d := block.Body.Content(outputBlockSchema)
	diags = append(diags, d...)
	o.Value = attrExpr(content, "value")
	if a, ok := content.Attributes["description"]; ok {
		s, d := literalString(a)
		diags, o.Description = append(diags, d...), s
	}
	if a, ok := content.Attributes["sensitive"]; ok {
		b, d := literalBool(a)
		diags, o.Sensitive = append(diags, d...), b
	}
	if a, ok := content.Attributes["depends_on"]; ok {
		deps, d := decodeDependsOn(a)
		diags, o.DependsOn = append(diags, d...), deps
	}
	if prev, ok := c.Outputs[o.Name]; ok {
		return append(diags, duplicate("output", "output."+o.Name, prev.DeclRange, o.DeclRange))
	}
	c.Outputs[o.Name] = o
	return diags
}
