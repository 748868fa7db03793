package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// warnings are the things that work but are probably not what the author meant. Models
// without sha256 and unpinned node packs are not among them: the lock file records the
// hash and the exact version or commit at first install.
func (c *Config) warnings(g *Graph) hcl.Diagnostics {
	var diags hcl.Diagnostics
	seen := map[string]bool{}
	for _, addr := range sortedKeys(c.Providers) {
		p := c.Providers[addr]
		if seen[p.Type] || isBuiltinProvider(p.Type) || !hclsyntax.ValidIdentifier(p.Type) {
			continue
		}
		seen[p.Type] = true
		if c.Settings != nil && c.Settings.RequiredProviders[p.Type] != nil {
			continue
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Provider missing from required_providers",
			Detail:   fmt.Sprintf(`The provider %q is not built in and has no required_providers entry, so comfyhcl looks for a plugin named comfyhcl-provider-%s without a version constraint. Declare it: comfyhcl { required_providers { %s = { source = "namespace/%s", version = "~> 1.0" } } }.`, p.Type, p.Type, p.Type, p.Type),
			Subject:  p.DeclRange.Ptr(),
		})
	}
	return append(diags, c.unused(g)...)
}

// unused reports locals nothing refers to: usually a leftover, or a typo in the name of
// the one that was meant. Unused variables are not reported: a variable is an interface,
// and a shared vars file may set it for several configurations.
func (c *Config) unused(g *Graph) hcl.Diagnostics {
	used := map[string]bool{}
	for from, edges := range g.Edges {
		for _, e := range edges {
			if e.To != from {
				used[e.To] = true
			}
		}
	}
	var diags hcl.Diagnostics
	for _, n := range sortedKeys(c.Locals) {
		if !used["local."+n] {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Unused local value",
				Detail:   fmt.Sprintf("Nothing refers to local.%s. Remove it, or use it.", n),
				Subject:  c.Locals[n].DeclRange.Ptr(),
			})
		}
	}
	return diags
}
