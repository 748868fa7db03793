package pool

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// catalog is a member's /object_info reduced to what placement needs: which node
// classes exist and, per COMBO input, which values are allowed. Model files are COMBO
// values of loader inputs (ckpt_name, lora_name, ...), so "has the graph's models" is
// "every COMBO value the graph uses is allowed here".
type catalog struct {
	raw    map[string]json.RawMessage
	combos map[string]map[string][]string // class -> input -> options
}

func parseCatalog(raw []byte) (*catalog, error) {
	c := &catalog{combos: map[string]map[string][]string{}}
	if err := json.Unmarshal(raw, &c.raw); err != nil {
		return nil, fmt.Errorf("reading /object_info: %w", err)
	}
	for class, def := range c.raw {
		var d struct {
			Input map[string]map[string]json.RawMessage `json:"input"`
		}
		if json.Unmarshal(def, &d) != nil {
			continue
		}
		for _, group := range d.Input {
			for name, rawSpec := range group {
				var spec []json.RawMessage
				if json.Unmarshal(rawSpec, &spec) != nil {
					continue // hidden inputs are plain strings
				}
				if opts, ok := comboOptions(spec); ok {
					if c.combos[class] == nil {
						c.combos[class] = map[string][]string{}
					}
					c.combos[class][name] = opts
				}
			}
		}
	}
	return c, nil
}

// comboOptions reads both COMBO shapes: [["a","b"], {...}] and ["COMBO", {"options": [...]}].
func comboOptions(spec []json.RawMessage) ([]string, bool) {
	if len(spec) == 0 {
		return nil, false
	}
	var list []string
	if json.Unmarshal(spec[0], &list) == nil {
		return list, true
	}
	var typ string
	if json.Unmarshal(spec[0], &typ) == nil && typ == "COMBO" && len(spec) > 1 {
		var o struct {
			Options []string `json:"options"`
		}
		if json.Unmarshal(spec[1], &o) == nil {
			return o.Options, true
		}
	}
	return nil, false
}

// graphNode is a node of an API-format graph.
type graphNode struct {
	ClassType string                     `json:"class_type"`
	Inputs    map[string]json.RawMessage `json:"inputs"`
}

// need is one thing a graph requires of a server.
type need struct {
	class, input, value string // input == "": the class itself
}

func (n need) String() string {
	if n.input == "" {
		return "node class " + n.class
	}
	return fmt.Sprintf("%q (%s.%s)", n.value, n.class, n.input)
}

// graphNeeds lists the classes of a graph and its literal string inputs, which placement
// checks against each member's catalogue.
func graphNeeds(graphJSON []byte) ([]need, error) {
	var g map[string]graphNode
	if err := json.Unmarshal(graphJSON, &g); err != nil {
		return nil, fmt.Errorf("the graph is not API-format JSON: %w", err)
	}
	var out []need
	for _, id := range sortedKeys(g) {
		n := g[id]
		out = append(out, need{class: n.ClassType})
		for _, in := range sortedKeys(n.Inputs) {
			var s string
			if json.Unmarshal(n.Inputs[in], &s) == nil {
				out = append(out, need{class: n.ClassType, input: in, value: s})
			}
		}
	}
	return out, nil
}

// lacks returns what of needs the catalogue does not have.
func (c *catalog) lacks(needs []need) []need {
	var out []need
	for _, n := range needs {
		if n.input == "" {
			if _, ok := c.raw[n.class]; !ok {
				out = append(out, n)
			}
			continue
		}
		if opts, ok := c.combos[n.class][n.input]; ok && !contains(opts, n.value) {
			out = append(out, n)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// decodeNumbers decodes JSON keeping numbers exact (seeds reach 2^64).
func decodeNumbers(raw []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	return dec.Decode(v)
}
