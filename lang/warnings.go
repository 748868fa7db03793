package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// warnings are the things that work but are probably not what the author meant.
func (c *Config) warnings() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, n := range sortedKeys(c.Models) {
		m := c.Models[n]
		if m.Source != nil && m.SHA256 == nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Model download without checksum",
				Detail:   fmt.Sprintf("model.%s has a source but no sha256, so comfyhcl cannot verify what it downloads or recognise an identical file already on the server. Add sha256 = \"<hex digest>\".", n),
				Subject:  m.Source.Range().Ptr(),
			})
		}
	}
	for _, n := range sortedKeys(c.Nodes) {
		p := c.Nodes[n]
		switch {
		case p.Registry != nil && p.Git == nil && p.Version == nil:
			diags = append(diags, unpinned(n, "version", p.Registry.Range()))
		case p.Git != nil && p.Registry == nil && p.Ref == nil:
			diags = append(diags, unpinned(n, "ref", p.Git.Range()))
		}
	}
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
	return diags
}

func unpinned(name, attr string, rng hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Unpinned node pack",
		Detail:   fmt.Sprintf("node.%s has no %s, so it installs whatever is newest and the environment is not reproducible. Pin it with %s = \"...\"; the lock file then records the exact commit.", name, attr, attr),
		Subject:  rng.Ptr(),
	}
}
