package workflow

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

// ConvertUI converts a decoded UI-format workflow (v0.4 or v1) to API format, the way
// the frontend's graphToPrompt does, using catalogue for widget order: Note, Reroute,
// PrimitiveNode and other frontend-only nodes are dropped, muted (mode 2) nodes are
// dropped and bypassed (mode 4) nodes pass a same-typed input through; links resolve
// through Reroutes; PrimitiveNode values are inlined into every target; widgets_values
// map onto widget inputs in object_info order, skipping control_after_generate and
// upload-button values; subgraphs are expanded with "<outer>:<inner>" ids.
func ConvertUI(ui map[string]any, catalogue *ObjectInfo) (Graph, hcl.Diagnostics) {
	root, err := parseUIGraph(ui)
	if err != nil {
		return nil, hcl.Diagnostics{uiDiag(hcl.DiagError, "Invalid UI-format workflow", err.Error()+".")}
	}
	c := &converter{cat: catalogue, defs: map[string]*uiGraph{}, groups: map[string]*groupDef{}, out: Graph{}, scopes: map[string]*scope{}}
	if err := c.loadDefinitions(ui); err != nil {
		return nil, hcl.Diagnostics{uiDiag(hcl.DiagError, "Invalid UI-format workflow", err.Error()+".")}
	}
	c.loadGroups(ui)
	c.expand(&scope{g: root})
	c.dropDanglingLinks()
	if len(c.out) == 0 && !c.diags.HasErrors() {
		c.diags = append(c.diags, uiDiag(hcl.DiagError, "Empty workflow",
			"The UI workflow has no executable nodes (only notes, reroutes, primitives, or muted/bypassed nodes)."))
	}
	return c.out, c.diags
}

type converter struct {
	cat    *ObjectInfo
	defs   map[string]*uiGraph  // subgraph definitions by id
	groups map[string]*groupDef // legacy group nodes by type
	out    Graph
	diags  hcl.Diagnostics
	scopes map[string]*scope // child scopes by prefix
	tooBig bool
}

// scope is one graph level: the root, or one subgraph instance's copy of a definition.
type scope struct {
	g         *uiGraph
	prefix    string // "" at the root, "57:" inside instance 57
	parent    *scope
	instance  *uiNode
	promoted  map[string]any            // subgraph input name -> promoted widget value
	overrides map[string]map[string]any // inner node id -> widget -> value
	depth     int
	defID     string // the subgraph or group type this scope expands ("" at the root)
	byIndex   bool   // a group node: instance inputs match by position, not name
}

func (c *converter) loadDefinitions(ui map[string]any) error {
	defs, _ := ui["definitions"].(map[string]any)
	for _, raw := range listOf(defs["subgraphs"]) {
		m, _ := raw.(map[string]any)
		if m == nil {
			continue
		}
		id, _ := m["id"].(string)
		sg, err := parseUIGraph(m)
		if err != nil {
			return fmt.Errorf("subgraph %s: %v", id, err)
		}
		c.defs[id] = sg
		if err := c.loadDefinitions(m); err != nil { // nested definitions, if any
			return err
		}
	}
	return nil
}

const maxSubgraphDepth = 32

func (c *converter) expand(s *scope) {
	for _, id := range s.g.order {
		n := s.g.nodes[id]
		if virtualKind(n.Type) != "" || n.Mode == modeMuted || n.Mode == modeBypass {
			continue
		}
		if c.isContainer(n) {
			if recursive(s, n.Type) {
				c.diags = append(c.diags, uiDiag(hcl.DiagError, "Subgraph contains itself",
					fmt.Sprintf("Node %s%s is an instance of subgraph %q inside that same subgraph; ComfyUI cannot run a subgraph that contains itself.", s.prefix, id, n.Type)))
				continue
			}
			if s.depth >= maxSubgraphDepth {
				c.diags = append(c.diags, uiDiag(hcl.DiagError, "Subgraphs nested too deeply",
					fmt.Sprintf("Subgraph instance %s%s is nested more than %d levels deep (a subgraph containing itself?).", s.prefix, id, maxSubgraphDepth)))
				continue
			}
			c.expand(c.child(s, n))
			continue
		}
		if isGroupType(n.Type) {
			c.diags = append(c.diags, uiDiag(hcl.DiagError, "Unknown group node",
				fmt.Sprintf("Node %s%s is a legacy group node (%q) whose definition is missing from extra.groupNodes. Open the workflow in ComfyUI and convert the group node to nodes, then save again.", s.prefix, id, n.Type)))
			continue
		}
		if len(c.out) >= maxExpandedNodes {
			if !c.tooBig {
				c.tooBig = true
				c.diags = append(c.diags, uiDiag(hcl.DiagError, "Workflow too large",
					fmt.Sprintf("The workflow expands to more than %d nodes (subgraphs instantiated many times); ComfyUI would not run it either.", maxExpandedNodes)))
			}
			return
		}
		c.out[s.prefix+id] = c.convertNode(s, n)
	}
}

// maxExpandedNodes bounds subgraph expansion (k instances of k instances ... grows fast).
const maxExpandedNodes = 100000

// recursive reports whether scope s is already inside an expansion of defID.
func recursive(s *scope, defID string) bool {
	for sc := s; sc != nil; sc = sc.parent {
		if sc.defID == defID {
			return true
		}
	}
	return false
}

// Node modes of the UI format.
const (
	modeMuted  = 2
	modeBypass = 4
)

func (c *converter) convertNode(s *scope, n *uiNode) *Node {
	def := c.cat.Class(n.Type)
	node := &Node{ClassType: n.Type, Inputs: c.mapWidgets(s, n, def)}
	title := n.Title
	if title == "" && def != nil {
		title = def.DisplayName
	}
	if title == "" {
		title = n.Type
	}
	node.Meta = map[string]any{"title": title}
	for name, v := range s.overrides[n.ID] {
		node.Inputs[name] = widgetValue(v)
	}
	for _, in := range n.Inputs {
		if in.Link == "" {
			continue
		}
		name := in.Name
		if in.Widget != "" {
			name = in.Widget
		}
		r := c.resolve(s, in.Link, in.Type)
		switch r.kind {
		case resolvedLink:
			node.Inputs[name] = r.link
		case resolvedValue:
			node.Inputs[name] = widgetValue(r.value)
		case resolvedDeleted:
			delete(node.Inputs, name)
		}
	}
	return node
}

// dropDanglingLinks removes inputs wired to nodes that did not make it into the graph,
// as the frontend does ("remove inputs connected to removed nodes").
func (c *converter) dropDanglingLinks() {
	for _, n := range c.out {
		for name, v := range n.Inputs {
			if l, ok := v.(Link); ok {
				if _, exists := c.out[l.NodeID]; !exists {
					delete(n.Inputs, name)
				}
			}
		}
	}
}

// widgetValue normalizes a widget value; lists are wrapped so they are not read as links.
func widgetValue(v any) any {
	n, err := normalizeValue(v)
	if err != nil {
		return nil
	}
	if l, ok := n.([]any); ok {
		return map[string]any{"__value__": l}
	}
	return n
}

func uiDiag(sev hcl.DiagnosticSeverity, summary, detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: sev, Summary: summary, Detail: detail}
}
