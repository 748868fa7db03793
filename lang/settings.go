package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// CoreVersion is the comfyhcl version required_version is checked against. The binary
// sets it from its own version at start-up.
var CoreVersion = "0.1.0"

// BuiltinProviders are the provider types that need no required_providers entry.
var BuiltinProviders = []string{"cloud", "local"}

var settingsSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "required_version"}},
	Blocks:     []hcl.BlockHeaderSchema{{Type: "required_providers"}},
}

func (c *Config) addSettings(block *hcl.Block) hcl.Diagnostics {
	if c.Settings != nil {
		return hcl.Diagnostics{duplicate("comfyhcl block", "A comfyhcl block", c.Settings.DeclRange, block.DefRange)}
	}
	s := &Settings{DeclRange: block.DefRange, RequiredProviders: map[string]*RequiredProvider{}}
	c.Settings = s
	content, diags := block.Body.Content(settingsSchema)
	if a, ok := content.Attributes["required_version"]; ok {
		s.RequiredVersion = a.Expr
	}
	seenRP := false
	for _, b := range content.Blocks {
		if seenRP {
			diags = append(diags, duplicate("required_providers block", "A required_providers block", s.DeclRange, b.DefRange))
			continue
		}
		seenRP = true
		diags = append(diags, decodeRequiredProviders(b, s.RequiredProviders)...)
	}
	return diags
}

func decodeRequiredProviders(block *hcl.Block, into map[string]*RequiredProvider) hcl.Diagnostics {
	attrs, diags := block.Body.JustAttributes()
	for _, name := range sortedAttrNames(attrs) {
		attr := attrs[name]
		diags = append(diags, checkName("provider", name, attr.NameRange)...)
		rp := &RequiredProvider{Name: name, DeclRange: attr.Range}
		pairs, d := hcl.ExprMap(attr.Expr)
		if d.HasErrors() {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid required_providers entry",
				Detail:   fmt.Sprintf(`The entry for %q must be an object: %s = { source = "namespace/%s", version = "~> 1.0" }.`, name, name, name),
				Subject:  attr.Expr.Range().Ptr(),
			})
			continue
		}
		entryErrors := false
		for _, kv := range pairs {
			key, kd := kv.Key.Value(nil)
			if kd.HasErrors() || key.Type() != cty.String || key.IsNull() || !key.IsKnown() {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid required_providers entry", Detail: "Keys must be source or version.", Subject: kv.Key.Range().Ptr()})
				entryErrors = true
				continue
			}
			k := key.AsString()
			val, vd := kv.Value.Value(nil)
			if vd.HasErrors() || val.Type() != cty.String || val.IsNull() || !val.IsKnown() {
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid required_providers entry", Detail: fmt.Sprintf("The %s of provider %q must be a literal string.", k, name), Subject: kv.Value.Range().Ptr()})
				entryErrors = true
				continue
			}
			switch k {
			case "source":
				rp.Source = val.AsString()
				if !validSource(rp.Source) {
					diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid provider source", Detail: fmt.Sprintf(`%q is not a valid provider source: use "namespace/name", e.g. "acme/pool" or "builtin/local".`, rp.Source), Subject: kv.Value.Range().Ptr()})
				}
			case "version":
				rp.Version = val.AsString()
				if _, err := version.NewConstraint(rp.Version); err != nil {
					diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid version constraint", Detail: fmt.Sprintf("%q is not a version constraint: %s. Use a constraint such as \"~> 1.0\" or \">= 1.2, < 2.0\".", rp.Version, err), Subject: kv.Value.Range().Ptr()})
				}
			default:
				diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unsupported argument", Detail: fmt.Sprintf("An argument named %q is not expected in a required_providers entry; only source and version are.%s", k, didYouMean(k, []string{"source", "version"})), Subject: kv.Key.Range().Ptr()})
			}
		}
		if rp.Source == "" && !isBuiltinProvider(name) && !entryErrors {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Missing provider source", Detail: fmt.Sprintf(`The provider %q is not built in, so its entry needs a source: %s = { source = "namespace/%s" }.`, name, name, name), Subject: attr.Expr.Range().Ptr()})
		}
		into[name] = rp
	}
	return diags
}

func validSource(s string) bool {
	parts := strings.Split(s, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return false
	}
	for _, p := range parts {
		if p == "" || strings.ContainsAny(p, " \t\\") {
			return false
		}
	}
	return true
}

func isBuiltinProvider(name string) bool {
	for _, b := range BuiltinProviders {
		if b == name {
			return true
		}
	}
	return false
}

// checkRequiredVersion checks required_version against CoreVersion.
func checkRequiredVersion(s *Settings) hcl.Diagnostics {
	if s.RequiredVersion == nil {
		return nil
	}
	v, diags := s.RequiredVersion.Value(nil)
	if diags.HasErrors() {
		return diags
	}
	if !v.IsKnown() {
		return nil // a syntax error, already reported
	}
	if v.Type() != cty.String || v.IsNull() {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid required_version", Detail: `required_version must be a literal string constraint, e.g. ">= 0.1.0".`, Subject: s.RequiredVersion.Range().Ptr()}}
	}
	cons, err := version.NewConstraint(v.AsString())
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid version constraint", Detail: fmt.Sprintf("%q is not a version constraint: %s.", v.AsString(), err), Subject: s.RequiredVersion.Range().Ptr()}}
	}
	cur, err := version.NewVersion(CoreVersion)
	if err != nil {
		return nil // a development build with an unparseable version accepts every constraint
	}
	if !cons.Check(cur) {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Unsupported comfyhcl version",
			Detail:   fmt.Sprintf("This configuration requires comfyhcl %s, but this is comfyhcl %s. Install a matching version, or relax required_version.", v.AsString(), CoreVersion),
			Subject:  s.RequiredVersion.Range().Ptr(),
		}}
	}
	return nil
}
