package lang

import "github.com/hashicorp/hcl/v2"

func (c *Config) addLocals(block *hcl.Block) hcl.Diagnostics {
	attrs, diags := block.Body.JustAttributes()
	for _, name := range sortedAttrNames(attrs) {
		a := attrs[name]
		diags = append(diags, checkName("local value", name, a.NameRange)...)
		if prev, ok := c.Locals[name]; ok {
			diags = append(diags, duplicate("local value", "local."+name, prev.DeclRange, a.NameRange))
			continue
		}
		c.Locals[name] = &Local{Name: name, Expr: a.Expr, DeclRange: a.NameRange}
	}
	return diags
}
