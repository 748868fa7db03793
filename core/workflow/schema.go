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
	// bases maps a base name nobody kept ("seed" shared by two KSamplers) to the
	// suffixed names it became.
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
	tier int
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
			nm := nameFor(g, roles, id, input)
			if nm.kind == KindHidden {
				continue
			}
			var feeds []consumer
			if nm.kind == KindPrimitive {
				feeds = cons[id]
				nm = primitiveName(g, roles, feeds, nm.base)
				if nm.base == "" {
					nm.base = input
				}
			}
			p := &SchemaParam{Name: nm.base, Base: nm.base, NodeID: id, ClassType: n.ClassType, Input: input,
				Title: n.Title(), Kind: nm.kind, Folder: nm.folder, Value: cloneValue(v), tier: nm.tier}
			describeParam(p, catalogue, g, feeds)
			params = append(params, p)
		}
	}
	return newSchema(params), nil
}

// naming is what the rules table says about one literal input.
type naming struct {
	base   string
	kind   Kind
	folder string
	tier   int // tierClass, tierWildcard or tierGeneric: who keeps a clashing name
}

// Name tiers: a name given by a class's own rule beats one from a "*" rule, which
// beats a bare input name; equals are suffixed symmetrically.
const (
	tierGeneric = iota
	tierWildcard
	tierClass
)

// nameFor is the base name, kind and folder of a literal input by the rules table.
func nameFor(g Graph, roles map[string]string, id, input string) naming {
	n := g[id]
	r := ruleFor(n.ClassType, input)
	if r == nil {
		return naming{base: input, kind: KindValue}
	}
	tier := tierClass
	if r.Class == "*" {
		tier = tierWildcard
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
		return naming{base: base, kind: KindText, tier: tier}
	case KindPrimitive:
		return naming{base: name, kind: KindPrimitive, tier: tier}
	}
	if name == "" {
		name = input
	}
	return naming{base: name, kind: r.Kind, folder: r.Folder, tier: tier}
}

// primitiveName names a primitive node's value after the first input it feeds.
func primitiveName(g Graph, roles map[string]string, cons []consumer, fallback string) naming {
	for _, c := range cons {
		nm := nameFor(g, roles, c.NodeID, c.Input)
		if nm.kind != KindHidden && nm.kind != KindPrimitive && nm.kind != KindCond {
			return nm
		}
	}
	tier := tierGeneric
	if fallback != "" {
		tier = tierClass // a rule-given fallback ("easy positive" -> prompt)
	}
	return naming{base: fallback, kind: KindValue, tier: tier}
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

// newSchema resolves clashes: when several params share a base name, the one named by
// the most specific rule keeps it (a KSampler's seed beats a custom node's input that
// happens to be called seed); between equals it is symmetric, every one of them is
// suffixed with its node id (then its input, if still needed).
func newSchema(params []*SchemaParam) *Schema {
	s := &Schema{byName: map[string]*SchemaParam{}, bases: map[string][]string{}}
	groups := map[string][]*SchemaParam{}
	for _, p := range params {
		groups[p.Base] = append(groups[p.Base], p)
	}
	taken := map[string]bool{}
	keeper := map[string]*SchemaParam{}
	for base, g := range groups {
		if k := soleTopTier(g); k != nil {
			keeper[base] = k
			taken[base] = true
		}
	}
	for _, base := range sortedKeys(groups) {
		g := groups[base]
		if len(g) == 1 {
			continue
		}
		for _, p := range g {
			if p == keeper[base] {
				continue
			}
			name := base + "_" + sanitizeID(p.NodeID)
			if taken[name] {
				name += "_" + p.Input
			}
			for i := 2; taken[name]; i++ {
				name = base + "_" + sanitizeID(p.NodeID) + "_" + p.Input + "_" + strconv.Itoa(i)
			}
			p.Name = name
			taken[name] = true
			if keeper[base] == nil {
				s.bases[base] = append(s.bases[base], name)
			}
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

// soleTopTier is the one param of the highest tier in g, or nil when several share it.
func soleTopTier(g []*SchemaParam) *SchemaParam {
	var top *SchemaParam
	ties := 0
	for _, p := range g {
		switch {
		case top == nil || p.tier > top.tier:
			top, ties = p, 1
		case p.tier == top.tier:
			ties++
		}
	}
	if ties != 1 {
		return nil
	}
	return top
}

func sanitizeID(id string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' {
			return r
		}
		return '_'
	}, id)
}
