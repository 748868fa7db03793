package workflow

import (
	"encoding/json"
	"fmt"
	"strconv"
)

// The UI ("save") format, as far as conversion needs it. v0.4 files have array links
// [id, origin, origin_slot, target, target_slot, type]; v1 files and subgraph
// definitions have object links. Node ids may be numbers or strings.

type uiGraph struct {
	nodes   map[string]*uiNode
	order   []string // node ids in file order
	links   map[string]*uiLink
	inputs  []uiSubIO // subgraph definitions only
	outputs []uiSubIO
}

type uiNode struct {
	ID       string
	Type     string
	Mode     int
	Title    string
	Inputs   []uiInput
	Outputs  []uiOutput
	Widgets  any // widgets_values: a list, an object, or nil
	Proxy    [][2]string
	Models   []any // properties.models
	CnrID    string
	AuxID    string
	rawProps map[string]any
}

type uiInput struct {
	Name   string
	Type   string
	Link   string // "" when unconnected
	Widget string // widget name when the input is a (converted) widget
}

type uiOutput struct {
	Name string
	Type string
}

type uiLink struct {
	ID         string
	Origin     string
	OriginSlot int
	Target     string
	TargetSlot int
	Type       string
}

type uiSubIO struct {
	Name    string
	Type    string
	LinkIDs []string
}

// Special node ids inside subgraph definitions.
const (
	subgraphInputNode  = "-10"
	subgraphOutputNode = "-20"
)

func parseUIGraph(obj map[string]any) (*uiGraph, error) {
	g := &uiGraph{nodes: map[string]*uiNode{}, links: map[string]*uiLink{}}
	nodes, _ := obj["nodes"].([]any)
	for i, raw := range nodes {
		m, ok := raw.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("nodes[%d] is not an object", i)
		}
		n, err := parseUINode(m)
		if err != nil {
			return nil, fmt.Errorf("nodes[%d]: %v", i, err)
		}
		if _, dup := g.nodes[n.ID]; dup {
			return nil, fmt.Errorf("two nodes have id %s", n.ID)
		}
		g.nodes[n.ID] = n
		g.order = append(g.order, n.ID)
	}
	links, _ := obj["links"].([]any)
	for _, raw := range links {
		if l := parseUILink(raw); l != nil {
			g.links[l.ID] = l
		}
	}
	g.inputs = parseSubIO(obj["inputs"])
	g.outputs = parseSubIO(obj["outputs"])
	return g, nil
}

func parseUINode(m map[string]any) (*uiNode, error) {
	id, ok := idString(m["id"])
	if !ok {
		return nil, fmt.Errorf("missing or invalid \"id\"")
	}
	typ, _ := m["type"].(string)
	if typ == "" {
		return nil, fmt.Errorf("node %s has no \"type\"", id)
	}
	n := &uiNode{ID: id, Type: typ, Widgets: m["widgets_values"]}
	if mode, ok := intOf(m["mode"]); ok {
		n.Mode = mode
	}
	n.Title, _ = m["title"].(string)
	for _, raw := range listOf(m["inputs"]) {
		im, _ := raw.(map[string]any)
		if im == nil {
			continue
		}
		in := uiInput{}
		in.Name, _ = im["name"].(string)
		in.Type = typeString(im["type"])
		in.Link, _ = idString(im["link"])
		if w, ok := im["widget"].(map[string]any); ok {
			in.Widget, _ = w["name"].(string)
			if in.Widget == "" {
				in.Widget = in.Name
			}
		}
		n.Inputs = append(n.Inputs, in)
	}
	for _, raw := range listOf(m["outputs"]) {
		om, _ := raw.(map[string]any)
		if om == nil {
			n.Outputs = append(n.Outputs, uiOutput{})
			continue
		}
		name, _ := om["name"].(string)
		n.Outputs = append(n.Outputs, uiOutput{Name: name, Type: typeString(om["type"])})
	}
	props, _ := m["properties"].(map[string]any)
	n.rawProps = props
	if props != nil {
		n.Models = listOf(props["models"])
		n.CnrID, _ = props["cnr_id"].(string)
		n.AuxID, _ = props["aux_id"].(string)
		for _, raw := range listOf(props["proxyWidgets"]) {
			pair := listOf(raw)
			if len(pair) == 2 {
				a, _ := idString(pair[0])
				b, _ := pair[1].(string)
				n.Proxy = append(n.Proxy, [2]string{a, b})
			}
		}
	}
	return n, nil
}

func parseUILink(raw any) *uiLink {
	switch t := raw.(type) {
	case []any:
		if len(t) < 5 {
			return nil
		}
		id, ok1 := idString(t[0])
		origin, ok2 := idString(t[1])
		oslot, ok3 := intOf(t[2])
		target, ok4 := idString(t[3])
		tslot, ok5 := intOf(t[4])
		if !(ok1 && ok2 && ok3 && ok4 && ok5) {
			return nil
		}
		l := &uiLink{ID: id, Origin: origin, OriginSlot: oslot, Target: target, TargetSlot: tslot}
		if len(t) > 5 {
			l.Type = typeString(t[5])
		}
		return l
	case map[string]any:
		id, ok1 := idString(t["id"])
		origin, ok2 := idString(t["origin_id"])
		oslot, ok3 := intOf(t["origin_slot"])
		target, _ := idString(t["target_id"])
		tslot, _ := intOf(t["target_slot"])
		if !(ok1 && ok2 && ok3) {
			return nil
		}
		return &uiLink{ID: id, Origin: origin, OriginSlot: oslot, Target: target, TargetSlot: tslot, Type: typeString(t["type"])}
	}
	return nil
}

func parseSubIO(raw any) []uiSubIO {
	var out []uiSubIO
	for _, e := range listOf(raw) {
		m, _ := e.(map[string]any)
		if m == nil {
			continue
		}
		io := uiSubIO{Type: typeString(m["type"])}
		io.Name, _ = m["name"].(string)
		for _, id := range listOf(m["linkIds"]) {
			if s, ok := idString(id); ok {
				io.LinkIDs = append(io.LinkIDs, s)
			}
		}
		out = append(out, io)
	}
	return out
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// idString reads a node or link id (number or string) as a string; null is not an id.
func idString(v any) (string, bool) {
	switch t := v.(type) {
	case string:
		return t, t != ""
	case json.Number:
		if c, err := canonicalNumber(string(t)); err == nil {
			return string(c.(json.Number)), true
		}
	case float64:
		return strconv.FormatFloat(t, 'f', -1, 64), true
	case int:
		return strconv.Itoa(t), true
	}
	return "", false
}

func intOf(v any) (int, bool) {
	f, ok := numberOf(v)
	if !ok || !f.IsInt() {
		return 0, false
	}
	i, acc := f.Int64()
	if acc != 0 || i > 1<<31 || i < -1<<31 {
		return 0, false
	}
	return int(i), true
}

// typeString reads a slot type: a string, or (for COMBO sockets) a list.
func typeString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case []any:
		return "COMBO"
	}
	return ""
}
