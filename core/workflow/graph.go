package workflow

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Graph is a workflow in API format, keyed by node id. Node ids are opaque strings
// ("3", "12:5", "abc").
type Graph map[string]*Node

// Node is one node of an API-format graph.
type Node struct {
	ClassType string
	// Inputs holds literal JSON values (see the package doc) or Link values.
	Inputs map[string]any
	// Meta is the node's "_meta" object (for example {"title": "Positive"}); nil when absent.
	Meta map[string]any
}

// Link is a wire from output Output of node NodeID (the API format's ["id", index]).
type Link struct {
	NodeID string
	Output int
}

// Format says which JSON shape a workflow file had.
type Format int

const (
	// FormatAPI is the shape /prompt accepts: {"id": {"class_type", "inputs"}}.
	FormatAPI Format = iota
	// FormatUI is the frontend's save format: {"nodes": [...], "links": [...]}.
	FormatUI
)

func (f Format) String() string {
	if f == FormatUI {
		return "UI format"
	}
	return "API format"
}

// Title is the node's _meta.title, or "" when it has none.
func (n *Node) Title() string {
	if n == nil || n.Meta == nil {
		return ""
	}
	s, _ := n.Meta["title"].(string)
	return s
}

// Clone returns a deep copy of g.
func (g Graph) Clone() Graph {
	out := make(Graph, len(g))
	for id, n := range g {
		out[id] = n.Clone()
	}
	return out
}

// Clone returns a deep copy of n.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	c := &Node{ClassType: n.ClassType, Inputs: make(map[string]any, len(n.Inputs))}
	for k, v := range n.Inputs {
		c.Inputs[k] = cloneValue(v)
	}
	if n.Meta != nil {
		c.Meta, _ = cloneValue(n.Meta).(map[string]any)
	}
	return c
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case []any:
		c := make([]any, len(t))
		for i, e := range t {
			c[i] = cloneValue(e)
		}
		return c
	case map[string]any:
		c := make(map[string]any, len(t))
		for k, e := range t {
			c[k] = cloneValue(e)
		}
		return c
	default:
		return v
	}
}

// IDs returns the node ids in a stable, human order: numeric ids numerically, then the
// rest lexically ("2" < "10" < "10:1" < "abc").
func (g Graph) IDs() []string {
	ids := make([]string, 0, len(g))
	for id := range g {
		ids = append(ids, id)
	}
	sortIDs(ids)
	return ids
}

// idSeg is one ":"-separated segment of an id, parsed once for sorting.
type idSeg struct {
	s     string
	n     uint64
	isNum bool
}

func sortIDs(ids []string) {
	keys := make(map[string][]idSeg, len(ids))
	for _, id := range ids {
		var segs []idSeg
		for _, part := range strings.Split(id, ":") {
			n, err := strconv.ParseUint(part, 10, 64)
			segs = append(segs, idSeg{s: part, n: n, isNum: err == nil})
		}
		keys[id] = segs
	}
	sort.Slice(ids, func(i, j int) bool { return lessSegs(keys[ids[i]], keys[ids[j]]) })
}

func lessSegs(a, b []idSeg) bool {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		if x.s == y.s {
			continue
		}
		switch {
		case x.isNum && y.isNum:
			if x.n != y.n {
				return x.n < y.n
			}
			return x.s < y.s
		case x.isNum:
			return true
		case y.isNum:
			return false
		default:
			return x.s < y.s
		}
	}
	return len(a) < len(b)
}

// Consumers maps each node id to the inputs wired from it, for downstream walks.
type consumer struct {
	NodeID string
	Input  string
	Output int
}

func (g Graph) consumers(ids []string) map[string][]consumer {
	out := map[string][]consumer{}
	for _, id := range ids {
		n := g[id]
		for _, name := range sortedKeys(n.Inputs) {
			if l, ok := n.Inputs[name].(Link); ok {
				out[l.NodeID] = append(out[l.NodeID], consumer{NodeID: id, Input: name, Output: l.Output})
			}
		}
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// ensure json is used for the Number type in docs and helpers.
var _ json.Number
