package workflow

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// Schema is a workflow's friendly parameters: every literal input a user may set.
type Schema struct {
	Params []*SchemaParam // sorted by Name
	byName map[string]*SchemaParam
	// bases maps a clashing base name ("seed") to the suffixed names it became.
	bases map[string][]string
}

// SchemaParam is one controllable input.
type SchemaParam struct {
	Name      string      `json:"name"`
	NodeID    string      `json:"node"`
	ClassType string      `json:"class_type"`
	Input     string      `json:"input"`
	Title     string      `json:"title,omitempty"`
	Kind      Kind        `json:"kind"`
	Type      string      `json:"type,omitempty"`
	Folder    string      `json:"folder,omitempty"`
	Value     any         `json:"value"`
	Default   any         `json:"default,omitempty"`
	Min       json.Number `json:"min,omitempty"`
	Max       json.Number `json:"max,omitempty"`
	Options   []any       `json:"options,omitempty"`
	// Base is the name before clash resolution ("seed" for "seed_3").
	Base string `json:"-"`
}

// Lookup returns the parameter with this friendly name.
func (s *Schema) Lookup(name string) (*SchemaParam, bool) {
	p, ok := s.byName[name]
	return p, ok
}

// Names returns every friendly name, sorted.
func (s *Schema) Names() []string {
	out := make([]string, len(s.Params))
	for i, p := range s.Params {
		out[i] = p.Name
	}
	return out
}

// Clashes returns the suffixed names a clashing base name was split into ("seed" ->
// ["seed_10", "seed_3"]), or nil.
func (s *Schema) Clashes(base string) []string { return s.bases[base] }

// ByKind returns the parameters of one kind, sorted by name.
func (s *Schema) ByKind(k Kind) []*SchemaParam {
	var out []*SchemaParam
	for _, p := range s.Params {
		if p.Kind == k {
			out = append(out, p)
		}
	}
	return out
}

// ExtractSchema derives the friendly schema of g. Text-encoder inputs are named prompt or
// negative_prompt by tracing samplers' and guiders' conditioning back to them (titles
// only as a fallback); primitive nodes take the name of the input they feed; names that
// clash are all suffixed with their node id. catalogue may be nil; with it, each
// parameter carries its type, default, range and options. A cyclic graph is an error.
func ExtractSchema(g Graph, catalogue *ObjectInfo) (*Schema, error) {
	ids := g.IDs()
	if cycle := findCycle(g, ids); cycle != nil {
		return nil, &CycleError{Cycle: cycle}
	}
	roles := traceRoles(g, catalogue, ids)
	var params []*SchemaParam
	cons := g.consumers(ids)
	for _, id := range ids {
		n := g[id]
		for _, input := range inputOrder(n, catalogue) {
			v := n.Inputs[input]
			if _, isLink := v.(Link); isLink {
				continue
			}
			base, kind, folder := nameFor(g, roles, id, input)
			if kind == KindHidden {
				continue
			}
			var feeds []consumer
			if kind == KindPrimitive {
				feeds = cons[id]
				base, kind, folder = primitiveName(g, roles, feeds, base)
				if base == "" {
					base = input
				}
			}
			p := &SchemaParam{Name: base, Base: base, NodeID: id, ClassType: n.ClassType,
				Input: input, Title: n.Title(), Kind: kind, Folder: folder, Value: cloneValue(v)}
			describeParam(p, catalogue, g, feeds)
			params = append(params, p)
		}
	}
	return newSchema(params), nil
}

// nameFor is the base name, kind and folder of a literal input by the rules table.
func nameFor(g Graph, roles map[string]string, id, input string) (string, Kind, string) {
	n := g[id]
	r := ruleFor(n.ClassType, input)
	if r == nil {
		return input, KindValue, ""
	}
	name := r.Name
	switch r.Kind {
	case KindText:
		role, ok := roles[id]
		if !ok {
			role = fallbackRole(n)
		}
		base := "prompt"
		if role == roleNegative {
			base = "negative_prompt"
		}
		if name != "" {
			base += "_" + name
		}
		return base, KindText, ""
	case KindPrimitive:
		return name, KindPrimitive, ""
	}
	if name == "" {
		name = input
	}
	return name, r.Kind, r.Folder
}

// primitiveName names a primitive node's value after the first input it feeds.
func primitiveName(g Graph, roles map[string]string, cons []consumer, fallback string) (string, Kind, string) {
	for _, c := range cons {
		base, kind, folder := nameFor(g, roles, c.NodeID, c.Input)
		if kind != KindHidden && kind != KindPrimitive && kind != KindCond {
			return base, kind, folder
		}
	}
	return fallback, KindValue, ""
}

// inputOrder lists a node's inputs in object_info order, then any others by name.
func inputOrder(n *Node, cat *ObjectInfo) []string {
	def := cat.Class(n.ClassType)
	if def == nil {
		return sortedKeys(n.Inputs)
	}
	out := make([]string, 0, len(n.Inputs))
	seen := map[string]bool{}
	for _, d := range def.Inputs {
		if _, ok := n.Inputs[d.Name]; ok {
			out = append(out, d.Name)
			seen[d.Name] = true
		}
	}
	for _, k := range sortedKeys(n.Inputs) {
		if !seen[k] {
			out = append(out, k)
		}
	}
	return out
}

// describeParam fills type, default, range and options from the catalogue; a primitive
// (feeds non-empty) borrows the definition of the input it feeds.
func describeParam(p *SchemaParam, cat *ObjectInfo, g Graph, cons []consumer) {
	def := cat.Class(p.ClassType).Input(p.Input)
	if (def == nil || def.Type == "*") && len(cons) > 0 {
		if d := cat.Class(g[cons[0].NodeID].ClassType).Input(cons[0].Input); d != nil {
			def = d
		}
	}
	if def != nil && def.Type != "*" {
		p.Type, p.Default, p.Min, p.Max, p.Options = def.Type, def.Default, def.Min, def.Max, def.Options
		if p.Kind == KindValue && def.ImageUpload {
			p.Kind = KindUpload
		}
		return
	}
	p.Type = literalType(p.Value)
}

func literalType(v any) string {
	switch t := v.(type) {
	case string:
		return "STRING"
	case bool:
		return "BOOLEAN"
	case json.Number:
		if strings.ContainsAny(string(t), ".eE") {
			return "FLOAT"
		}
		return "INT"
	}
	return ""
}

// newSchema resolves clashes symmetrically: when several params share a base name,
// every one of them is suffixed with its node id (then its input, if still needed).
func newSchema(params []*SchemaParam) *Schema {
	s := &Schema{byName: map[string]*SchemaParam{}, bases: map[string][]string{}}
	groups := map[string][]*SchemaParam{}
	for _, p := range params {
		groups[p.Base] = append(groups[p.Base], p)
	}
	taken := map[string]bool{}
	for base, g := range groups {
		if len(g) == 1 {
			taken[base] = true
		}
	}
	for _, base := range sortedKeys(groups) {
		g := groups[base]
		if len(g) == 1 {
			continue
		}
		for _, p := range g {
			name := base + "_" + sanitizeID(p.NodeID)
			if taken[name] {
				name += "_" + p.Input
			}
			for i := 2; taken[name]; i++ {
				name = base + "_" + sanitizeID(p.NodeID) + "_" + p.Input + "_" + strconv.Itoa(i)
			}
			p.Name = name
			taken[name] = true
			s.bases[base] = append(s.bases[base], name)
		}
		sort.Strings(s.bases[base])
	}
	sort.Slice(params, func(i, j int) bool { return params[i].Name < params[j].Name })
	s.Params = params
	for _, p := range params {
		s.byName[p.Name] = p
	}
	return s
}

func sanitizeID(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, id)
}
