package lang

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var nodeBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "registry"}, {Name: "version"}, {Name: "git"}, {Name: "ref"},
		{Name: "provider"}, {Name: "depends_on"},
	},
}

func (c *Config) addNode(block *hcl.Block) hcl.Diagnostics {
	n := &NodePack{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("node", n.Name, block.LabelRanges[0])
	content, d := block.Body.Content(nodeBlockSchema)
	diags = append(diags, d...)
	n.Registry = attrExpr(content, "registry")
	n.Version = attrExpr(content, "version")
	n.Git = attrExpr(content, "git")
	n.Ref = attrExpr(content, "ref")
	if a, ok := content.Attributes["provider"]; ok {
		ref, d := decodeProviderRef(a)
		diags, n.Provider = append(diags, d...), ref
	}
	if a, ok := content.Attributes["depends_on"]; ok {
		deps, d := decodeDependsOn(a)
		diags, n.DependsOn = append(diags, d...), deps
	}
	switch {
	case n.Registry != nil && n.Git != nil:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Conflicting node pack source",
			Detail:   "A node block takes exactly one of registry (a Comfy Registry id) and git (a repository URL). Remove one of them.",
			Subject:  content.Attributes["git"].NameRange.Ptr(),
		})
	case n.Registry == nil && n.Git == nil:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Missing node pack source",
			Detail:   `A node block needs registry = "<Comfy Registry id>" (with version) or git = "<repository URL>" (with ref).`,
			Subject:  block.DefRange.Ptr(),
		})
	case n.Git != nil && n.Version != nil:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported argument",
			Detail:   `version pins a registry node pack; a git node pack is pinned with ref = "<tag, branch or commit>".`,
			Subject:  content.Attributes["version"].NameRange.Ptr(),
		})
	case n.Registry != nil && n.Ref != nil:
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Unsupported argument",
			Detail:   `ref pins a git node pack; a registry node pack is pinned with version = "<version>".`,
			Subject:  content.Attributes["ref"].NameRange.Ptr(),
		})
	}
	if v, ok := constValue(n.Git); ok && (v.Type() != cty.String || v.IsNull() || !validGitURL(v.AsString())) {
		diags = append(diags, invalidLiteral("git URL", `must be a repository URL such as "https://github.com/owner/repo" or "git@github.com:owner/repo.git"`, n.Git))
	}
	if prev, ok := c.Nodes[n.Name]; ok {
		return append(diags, duplicate("node", "node."+n.Name, prev.DeclRange, n.DeclRange))
	}
	c.Nodes[n.Name] = n
	return diags
}

func validGitURL(s string) bool {
	for _, p := range []string{"https://", "http://", "ssh://", "git://", "file://"} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return !strings.ContainsAny(s, " \t\n")
		}
	}
	// scp-like: git@host:owner/repo.git
	at, colon := strings.Index(s, "@"), strings.Index(s, ":")
	return at > 0 && colon > at+1 && colon < len(s)-1 && !strings.ContainsAny(s, " \t\n")
}
