package workflow

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

type resolvedKind int

const (
	resolvedNone    resolvedKind = iota // nothing upstream: a widget keeps its own value
	resolvedLink                        // a real node's output
	resolvedValue                       // a literal (PrimitiveNode, promoted widget)
	resolvedDeleted                     // wired to a muted node: the input is dropped
)

type resolved struct {
	kind  resolvedKind
	link  Link
	value any
}

// resolve follows link linkID (in scope s) to the real node output, literal or nothing
// behind it, through reroutes, bypassed nodes, primitives and subgraph boundaries.
// wantType is the consuming input's type, which bypassed nodes pass through.
func (c *converter) resolve(s *scope, linkID, wantType string) resolved {
	for steps := 0; steps < 100000; steps++ {
		l := s.g.links[linkID]
		if l == nil {
			return resolved{}
		}
		if wantType == "" || wantType == "*" {
			wantType = l.Type
		}
		if l.Origin == subgraphInputNode {
			next, val, ok := c.fromSubgraphInput(s, l.OriginSlot)
			switch {
			case next != nil:
				s, linkID = next.scope, next.link
				continue
			case ok:
				return resolved{kind: resolvedValue, value: val}
			default:
				return resolved{}
			}
		}
		on := s.g.nodes[l.Origin]
		if on == nil {
			return resolved{}
		}
		if on.Mode == modeMuted {
			return resolved{kind: resolvedDeleted}
		}
		if on.Mode == modeBypass {
			next := bypassInput(on, l.OriginSlot, wantType)
			if next == "" {
				return resolved{}
			}
			linkID = next
			continue
		}
		switch virtualKind(on.Type) {
		case virtualReroute, virtualSet:
			if len(on.Inputs) == 0 || on.Inputs[0].Link == "" {
				return resolved{}
			}
			linkID = on.Inputs[0].Link
			continue
		case virtualPrimitive:
			if vals := listOf(on.Widgets); len(vals) > 0 {
				return resolved{kind: resolvedValue, value: vals[0]}
			}
			return resolved{}
		case virtualGet:
			next := findSetNode(s, on)
			if next == "" {
				return resolved{}
			}
			linkID = next
			continue
		case virtualNote:
			return resolved{}
		}
		if c.isContainer(on) {
			if recursive(s, on.Type) || s.depth >= maxSubgraphDepth {
				return resolved{}
			}
			child := c.child(s, on)
			inner := subgraphOutputLink(child.g, l.OriginSlot)
			if inner == "" {
				return resolved{}
			}
			s, linkID = child, inner
			continue
		}
		return resolved{kind: resolvedLink, link: Link{NodeID: s.prefix + on.ID, Output: l.OriginSlot}}
	}
	c.diags = append(c.diags, uiDiag(hcl.DiagWarning, "Link loop", fmt.Sprintf("Link %s loops through reroutes forever; it was dropped.", linkID)))
	return resolved{}
}

type scopedLink struct {
	scope *scope
	link  string
}

// fromSubgraphInput resolves subgraph input k of scope s: the instance's wired input of
// the same name (in the parent scope), or the instance's promoted widget value.
func (c *converter) fromSubgraphInput(s *scope, k int) (*scopedLink, any, bool) {
	if s.parent == nil || k < 0 || k >= len(s.g.inputs) {
		return nil, nil, false
	}
	if s.byIndex {
		if k < len(s.instance.Inputs) && s.instance.Inputs[k].Link != "" {
			return &scopedLink{scope: s.parent, link: s.instance.Inputs[k].Link}, nil, false
		}
		return nil, nil, false
	}
	name := s.g.inputs[k].Name
	for _, in := range s.instance.Inputs {
		if in.Name == name && in.Link != "" {
			return &scopedLink{scope: s.parent, link: in.Link}, nil, false
		}
	}
	v, ok := s.promoted[name]
	return nil, v, ok
}

// bypassInput picks the input a bypassed node passes through for output slot: the
// input at the same index first, then any, whose type matches (frontend order).
func bypassInput(n *uiNode, slot int, wantType string) string {
	candidates := append([]int{slot}, seq(len(n.Inputs))...)
	for _, i := range candidates {
		if i < 0 || i >= len(n.Inputs) {
			continue
		}
		if n.Inputs[i].Type == wantType {
			return n.Inputs[i].Link // may be "": found but unconnected
		}
	}
	return ""
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// subgraphOutputLink is the inner link feeding output k of a subgraph definition.
func subgraphOutputLink(sub *uiGraph, k int) string {
	if k >= 0 && k < len(sub.outputs) {
		for _, id := range sub.outputs[k].LinkIDs {
			if l := sub.links[id]; l != nil {
				return id
			}
		}
	}
	for _, id := range sortedKeys(sub.links) {
		l := sub.links[id]
		if l.Target == subgraphOutputNode && l.TargetSlot == k {
			return id
		}
	}
	return ""
}

// findSetNode resolves a KJNodes GetNode to the input of the SetNode with its name.
func findSetNode(s *scope, get *uiNode) string {
	name := firstString(get.Widgets)
	for sc := s; sc != nil; sc = sc.parent {
		for _, id := range sc.g.order {
			n := sc.g.nodes[id]
			if virtualKind(n.Type) == virtualSet && firstString(n.Widgets) == name && len(n.Inputs) > 0 {
				if sc != s {
					return "" // Set/Get pairs across subgraph levels are not supported
				}
				return n.Inputs[0].Link
			}
		}
	}
	return ""
}

func firstString(widgets any) string {
	if l := listOf(widgets); len(l) > 0 {
		s, _ := l[0].(string)
		return s
	}
	return ""
}
