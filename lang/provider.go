package lang

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

var providerBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "alias"}},
}

// Addr is "TYPE" or "TYPE.ALIAS", the key of Config.Providers.
func (p *Provider) Addr() string {
	if p.Alias == "" {
		return p.Type
	}
	return p.Type + "." + p.Alias
}

// Addr is "TYPE" or "TYPE.ALIAS", the key of Config.Providers.
func (r *ProviderRef) Addr() string {
	if r.Alias == "" {
		return r.Type
	}
	return r.Type + "." + r.Alias
}

func (c *Config) addProvider(block *hcl.Block) hcl.Diagnostics {
	p := &Provider{Type: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("provider", p.Type, block.LabelRanges[0])
	content, remain, d := block.Body.PartialContent(providerBlockSchema)
	diags = append(diags, d...)
	p.Config = remain
	if a, ok := content.Attributes["alias"]; ok {
		alias, d := literalString(a)
		diags = append(diags, d...)
		if !d.HasErrors() {
			p.Alias = alias
			diags = append(diags, checkName("provider alias", alias, a.Expr.Range())...)
		}
	}
	if prev, ok := c.Providers[p.Addr()]; ok {
		what := fmt.Sprintf("The default configuration of provider %q", p.Type)
		if p.Alias != "" {
			what = fmt.Sprintf("Provider %s", p.Addr())
		}
		d := duplicate("provider configuration", what, prev.DeclRange, p.DeclRange)
		d.Detail += ` Use alias = "name" to declare several configurations of one provider.`
		return append(diags, d)
	}
	c.Providers[p.Addr()] = p
	return diags
}

// decodeProviderRef decodes `provider = TYPE` or `provider = TYPE.ALIAS`.
func decodeProviderRef(attr *hcl.Attribute) (*ProviderRef, hcl.Diagnostics) {
	trav, diags := hcl.AbsTraversalForExpr(attr.Expr)
	bad := &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid provider reference",
		Detail:   `The provider argument takes a provider type or TYPE.ALIAS without quotes, e.g. provider = local.gpu2.`,
		Subject:  attr.Expr.Range().Ptr(),
	}
	if diags.HasErrors() || len(trav) == 0 || len(trav) > 2 {
		return nil, hcl.Diagnostics{bad}
	}
	ref := &ProviderRef{Type: trav.RootName(), Range: attr.Expr.Range()}
	if len(trav) == 2 {
		step, ok := trav[1].(hcl.TraverseAttr)
		if !ok {
			return nil, hcl.Diagnostics{bad}
		}
		ref.Alias = step.Name
	}
	return ref, nil
}

// checkProviderRefs reports provider references to aliases that are not declared, and
// to provider types that nothing declares (no provider block, not built in, not in
// required_providers: most likely a typo). A reference to a declared or built-in type
// without a block of its own uses that provider's empty default configuration, as in
// Terraform.
func (c *Config) checkProviderRefs() hcl.Diagnostics {
	var diags hcl.Diagnostics
	known := sortedKeys(c.Providers)
	for _, ref := range c.providerRefs() {
		if _, ok := c.Providers[ref.Addr()]; ok {
			continue
		}
		if ref.Alias != "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Reference to undeclared provider",
				Detail:   fmt.Sprintf("There is no provider %q block with alias = %q.%s", ref.Type, ref.Alias, didYouMean(ref.Addr(), known)),
				Subject:  ref.Range.Ptr(),
			})
			continue
		}
		if c.providerTypeDeclared(ref.Type) {
			continue
		}
		types := append([]string{}, BuiltinProviders...)
		for _, p := range c.Providers {
			types = append(types, p.Type)
		}
		if c.Settings != nil {
			types = append(types, sortedKeys(c.Settings.RequiredProviders)...)
		}
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Reference to undeclared provider",
			Detail:   fmt.Sprintf("There is no provider %q: it is not built in (%s), has no provider block and no required_providers entry.%s", ref.Type, joinNames(BuiltinProviders), didYouMean(ref.Type, types)),
			Subject:  ref.Range.Ptr(),
		})
	}
	return diags
}

func (c *Config) providerTypeDeclared(typ string) bool {
	if isBuiltinProvider(typ) {
		return true
	}
	for _, p := range c.Providers {
		if p.Type == typ {
			return true
		}
	}
	return c.Settings != nil && c.Settings.RequiredProviders[typ] != nil
}

// providerRefs lists every provider reference in model, node and render blocks, in a
// stable order.
func (c *Config) providerRefs() []*ProviderRef {
	var refs []*ProviderRef
	for _, n := range sortedKeys(c.Models) {
		if r := c.Models[n].Provider; r != nil {
			refs = append(refs, r)
		}
	}
	for _, n := range sortedKeys(c.Nodes) {
		if r := c.Nodes[n].Provider; r != nil {
			refs = append(refs, r)
		}
	}
	for _, n := range sortedKeys(c.Renders) {
		if r := c.Renders[n].Provider; r != nil {
			refs = append(refs, r)
		}
	}
	return refs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func sortedAttrNames(attrs hcl.Attributes) []string { return sortedKeys(attrs) }
