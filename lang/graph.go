package lang

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Graph is the dependency graph of a configuration. Node addresses are "var.x",
// "local.x", "model.x", "node.x", "render.x", "output.x" and "provider.TYPE[.ALIAS]".
// Edges[a] lists what a depends on (a must be evaluated after each To).
type Graph struct {
	Nodes []string
	Edges map[string][]Edge
}

// Edge is one dependency with the source range that created it.
type Edge struct {
	To       string
	Range    hcl.Range
	Explicit bool // from depends_on
}

// blockExprs is every expression of one addressable block.
type blockExprs struct {
	addr      string
	exprs     []hcl.Expression
	dependsOn []hcl.Traversal
	provider  *ProviderRef
}

// blocks lists the addressable blocks and their expressions in a stable order.
func (c *Config) blocks() []blockExprs {
	var out []blockExprs
	for _, n := range sortedKeys(c.Variables) {
		v := c.Variables[n]
		var exprs []hcl.Expression // validation conditions may reference other variables
		for _, val := range v.Validations {
			exprs = append(exprs, val.Condition, val.ErrorMessage)
		}
		out = append(out, blockExprs{addr: "var." + n, exprs: exprs})
	}
	for _, n := range sortedKeys(c.Locals) {
		out = append(out, blockExprs{addr: "local." + n, exprs: []hcl.Expression{c.Locals[n].Expr}})
	}
	for _, n := range sortedKeys(c.Providers) {
		out = append(out, blockExprs{addr: ProviderAddrPrefix + n, exprs: bodyExprs(c.Providers[n].Config)})
	}
	for _, n := range sortedKeys(c.Models) {
		m := c.Models[n]
		out = append(out, blockExprs{addr: "model." + n, provider: m.Provider, dependsOn: m.DependsOn,
			exprs: []hcl.Expression{m.Folder, m.File, m.Source, m.SHA256, m.Size, m.Headers}})
	}
	for _, n := range sortedKeys(c.Nodes) {
		p := c.Nodes[n]
		out = append(out, blockExprs{addr: "node." + n, provider: p.Provider, dependsOn: p.DependsOn,
			exprs: []hcl.Expression{p.Registry, p.Version, p.Git, p.Ref}})
	}
	for _, n := range sortedKeys(c.Renders) {
		r := c.Renders[n]
		exprs := []hcl.Expression{r.Workflow, r.Params, r.Uploads, r.Count, r.SeedMode, r.Sweep,
			r.OutputDir, r.FlatOutput, r.Timeout, r.Previews}
		if r.Requires != nil {
			exprs = append(exprs, r.Requires.VRAMGB, r.Requires.RAMGB)
		}
		out = append(out, blockExprs{addr: "render." + n, provider: r.Provider, dependsOn: r.DependsOn, exprs: exprs})
	}
	for _, n := range sortedKeys(c.Outputs) {
		o := c.Outputs[n]
		out = append(out, blockExprs{addr: "output." + n, dependsOn: o.DependsOn, exprs: []hcl.Expression{o.Value}})
	}
	return out
}

// bodyExprs is the attribute expressions of an undecoded body (a provider's config).
func bodyExprs(body hcl.Body) []hcl.Expression {
	if body == nil {
		return nil
	}
	attrs, _ := body.JustAttributes()
	var out []hcl.Expression
	for _, n := range sortedAttrNames(attrs) {
		out = append(out, attrs[n].Expr)
	}
	return out
}

// DependencyGraph builds the graph from every reference, provider reference and
// depends_on entry. References to undeclared objects or attributes and cycles are
// errors; the graph is returned whole either way (minus the bad edges).
func (c *Config) DependencyGraph() (*Graph, hcl.Diagnostics) {
	g, _, diags := c.dependencyGraph()
	return g, diags
}

// dependencyGraph also returns the addresses whose references had errors, so that
// validate does not report them twice.
func (c *Config) dependencyGraph() (*Graph, map[string]bool, hcl.Diagnostics) {
	g := &Graph{Edges: map[string][]Edge{}}
	bad := map[string]bool{}
	var diags hcl.Diagnostics
	for _, b := range c.blocks() {
		g.Nodes = append(g.Nodes, b.addr)
		var edges []Edge
		for _, e := range b.exprs {
			refs, d := References(e)
			diags = append(diags, d...)
			if d.HasErrors() {
				bad[b.addr] = true
			}
			for _, r := range refs {
				if d := c.checkReference(r); d != nil {
					diags = append(diags, d)
					bad[b.addr] = true
					continue
				}
				if r.Kind == "var" && r.Addr() == b.addr {
					continue // a validation rule reads its own variable
				}
				edges = append(edges, Edge{To: r.Addr(), Range: r.Range})
			}
		}
		for _, t := range b.dependsOn {
			kind, name := t.RootName(), t[1].(hcl.TraverseAttr).Name
			r := Reference{Kind: kind, Name: name, Range: t.SourceRange()}
			if d := c.checkReference(r); d != nil {
				diags = append(diags, d)
				continue
			}
			edges = append(edges, Edge{To: r.Addr(), Range: r.Range, Explicit: true})
		}
		if b.provider != nil {
			edges = append(edges, Edge{To: ProviderAddrPrefix + b.provider.Addr(), Range: b.provider.Range})
		}
		g.Edges[b.addr] = dedupeEdges(edges)
	}
	sort.Strings(g.Nodes)
	diags = append(diags, g.cycles()...)
	return g, bad, diags
}

func dedupeEdges(edges []Edge) []Edge {
	seen := map[string]bool{}
	var out []Edge
	for _, e := range edges {
		if !seen[e.To] {
			seen[e.To] = true
			out = append(out, e)
		}
	}
	return out
}

// checkReference reports a reference to something undeclared, or to an attribute a block
// does not have.
func (c *Config) checkReference(r Reference) *hcl.Diagnostic {
	if !c.exists(r.Kind, r.Name) {
		return &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Reference to undeclared %s", kindNoun(r.Kind)),
			Detail:   fmt.Sprintf("There is no %s named %q in this configuration.%s", kindNoun(r.Kind), r.Name, didYouMean(r.Name, c.names(r.Kind))),
			Subject:  r.Range.Ptr(),
		}
	}
	attrs := blockAttributes(r.Kind)
	if attrs == nil || r.Attr == "" {
		return nil
	}
	for _, a := range attrs {
		if a == r.Attr {
			return nil
		}
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Unsupported attribute",
		Detail:   fmt.Sprintf("A %s has no attribute %q; it has %s.%s", r.Kind, r.Attr, joinNames(attrs), didYouMean(r.Attr, attrs)),
		Subject:  r.Range.Ptr(),
	}
}

func joinNames(names []string) string {
	s := ""
	for i, n := range names {
		switch {
		case i == 0:
		case i == len(names)-1:
			s += " and "
		default:
			s += ", "
		}
		s += n
	}
	return s
}
