package workflow

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Param is one entry of a render's params: a friendly name ("prompt", "seed",
// "ckpt_name") or a raw "<node id>.<input>", with the range of its HCL entry.
type Param struct {
	Name  string
	Value any
	Range hcl.Range
}

// Options tune checks against the catalogue.
type Options struct {
	// Pending reports COMBO values that will exist when the graph runs although the
	// catalogue does not list them yet: model files a plan installs, images it uploads.
	Pending func(value string) bool
}

// Inject returns a copy of g with params applied. Friendly names are resolved through
// the schema of g; an unknown name is an error listing what exists and the nearest
// name; setting an input wired to another node is refused; with a catalogue, each value
// is checked (type, COMBO membership, INT/FLOAT range).
func Inject(g Graph, params []Param, catalogue *ObjectInfo) (Graph, hcl.Diagnostics) {
	return InjectWith(g, params, catalogue, Options{})
}

// InjectWith is Inject with options.
func InjectWith(g Graph, params []Param, catalogue *ObjectInfo, opts Options) (Graph, hcl.Diagnostics) {
	out := g.Clone()
	var diags hcl.Diagnostics
	schema, err := ExtractSchema(g, catalogue)
	if err != nil {
		return out, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid workflow", Detail: err.Error() + "."}}
	}
	setBy := map[string]*Param{}
	for i := range params {
		p := &params[i]
		id, input, d := resolveParam(g, schema, catalogue, p)
		if d != nil {
			diags = append(diags, d)
			continue
		}
		key := id + "." + input
		if prev, dup := setBy[key]; dup {
			diags = append(diags, paramDiag(p, "Parameter set twice",
				fmt.Sprintf("%q and %q both set input %q of node %q (%s); keep one.", prev.Name, p.Name, input, id, g[id].ClassType)))
			continue
		}
		setBy[key] = p
		val, err := paramValue(p.Value)
		if err != nil {
			diags = append(diags, paramDiag(p, "Invalid parameter value", fmt.Sprintf("%s: %v.", p.Name, err)))
			continue
		}
		node := out[id]
		if cur, wired := node.Inputs[input].(Link); wired {
			if _, isLink := val.(Link); !isLink {
				diags = append(diags, paramDiag(p, "Parameter would cut a link", wiredDetail(g, schema, p.Name, id, input, cur)))
				continue
			}
		}
		if _, isLink := val.(Link); !isLink {
			if def := catalogue.Class(node.ClassType).Input(input); def != nil {
				if prob := checkValue(def, val, opts.Pending); prob != nil {
					diags = append(diags, paramDiag(p, valueSummary(prob.Kind),
						fmt.Sprintf("%s (node %q, %s.%s): %s.", p.Name, id, node.ClassType, input, prob.Detail)))
					continue
				}
			}
		}
		node.Inputs[input] = val
	}
	return out, diags
}

// paramValue normalizes a param's value; a literal list is wrapped as {"__value__": l}
// because a bare list would be read as a link.
func paramValue(v any) (any, error) {
	n, err := normalizeValue(v)
	if err != nil {
		return nil, err
	}
	if l, ok := n.([]any); ok {
		return map[string]any{"__value__": l}, nil
	}
	return n, nil
}

func resolveParam(g Graph, s *Schema, cat *ObjectInfo, p *Param) (string, string, *hcl.Diagnostic) {
	if sp, ok := s.Lookup(p.Name); ok {
		return sp.NodeID, sp.Input, nil
	}
	if id, input, ok := splitRaw(g, p.Name); ok {
		n := g[id]
		if _, has := n.Inputs[input]; has || cat.Class(n.ClassType).Input(input) != nil {
			return id, input, nil
		}
		known := sortedKeys(n.Inputs)
		if def := cat.Class(n.ClassType); def != nil {
			known = known[:0]
			for _, d := range def.Inputs {
				known = append(known, d.Name)
			}
		}
		detail := fmt.Sprintf("Node %q (%s) has no input %q. Its inputs: %s.", id, n.ClassType, input, strings.Join(known, ", "))
		if near := nearest(input, known); near != "" {
			detail += fmt.Sprintf(" Did you mean %q?", id+"."+near)
		}
		return "", "", paramDiag(p, "Unknown workflow input", detail)
	}
	if names := s.Clashes(p.Name); len(names) > 0 {
		return "", "", paramDiag(p, "Ambiguous workflow parameter", fmt.Sprintf(
			"%q is used by %d nodes, so each has its own name: %s. Set the one you mean (or each of them).",
			p.Name, len(names), strings.Join(quoteAll(names), ", ")))
	}
	if i := strings.LastIndex(p.Name, "."); i > 0 {
		id := p.Name[:i]
		detail := fmt.Sprintf("The workflow has no node %q. Its nodes: %s.", id, strings.Join(quoteAll(g.IDs()), ", "))
		if near := nearest(id, g.IDs()); near != "" {
			detail += fmt.Sprintf(" Did you mean %q?", near+p.Name[i:])
		}
		return "", "", paramDiag(p, "Unknown workflow node", detail)
	}
	names := s.Names()
	detail := fmt.Sprintf("The workflow has no parameter %q.", p.Name)
	if near := nearest(p.Name, names); near != "" {
		detail += fmt.Sprintf(" Did you mean %q?", near)
	}
	detail += fmt.Sprintf(" Its parameters: %s. Raw \"<node>.<input>\" names also work.", strings.Join(names, ", "))
	return "", "", paramDiag(p, "Unknown workflow parameter", detail)
}

// splitRaw splits "<node>.<input>" where <node> is a node of g (ids may contain dots,
// so the longest matching prefix wins).
func splitRaw(g Graph, name string) (string, string, bool) {
	for i := len(name) - 1; i > 0; i-- {
		if name[i] != '.' {
			continue
		}
		if _, ok := g[name[:i]]; ok && i+1 < len(name) {
			return name[:i], name[i+1:], true
		}
	}
	return "", "", false
}

func wiredDetail(g Graph, s *Schema, name, id, input string, l Link) string {
	src := g[l.NodeID]
	detail := fmt.Sprintf("%s sets input %q of node %q (%s), but that input is wired to output %d of node %q",
		name, input, id, nodeLabel(g[id]), l.Output, l.NodeID)
	if src != nil {
		detail += fmt.Sprintf(" (%s)", nodeLabel(src))
	}
	detail += "; setting a literal would silently cut the wire."
	for _, sp := range s.Params {
		if sp.NodeID == l.NodeID {
			detail += fmt.Sprintf(" Set %q instead, which is the value that node provides.", sp.Name)
			return detail
		}
	}
	return detail + " Change the workflow if the input should not be wired."
}

func nodeLabel(n *Node) string {
	if n == nil {
		return "missing"
	}
	if t := n.Title(); t != "" && t != n.ClassType {
		return fmt.Sprintf("%s %q", n.ClassType, t)
	}
	return n.ClassType
}

func paramDiag(p *Param, summary, detail string) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
	if p.Range.Filename != "" {
		r := p.Range
		d.Subject = &r
	}
	return d
}

func valueSummary(kind string) string {
	switch kind {
	case ProblemNotInList:
		return "Value not in list"
	case ProblemTooSmall:
		return "Value smaller than the minimum"
	case ProblemTooBig:
		return "Value bigger than the maximum"
	default:
		return "Invalid value type"
	}
}

func quoteAll(s []string) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = fmt.Sprintf("%q", v)
	}
	return out
}
