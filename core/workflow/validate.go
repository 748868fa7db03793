package workflow

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// ValidateOptions say where diagnostics point and what may be missing for now.
type ValidateOptions struct {
	Options
	// Params are the render's params; a problem with an input one of them set points
	// at that entry.
	Params []Param
	// Workflow is the range of the workflow attribute, for every other problem.
	Workflow hcl.Range
	// PackFor names the pack providing an unknown class (from the server's mappings);
	// the built-in PackHints are used when it returns "".
	PackFor func(class string) string
}

// Validate checks the final graph against /object_info the way ComfyUI validates a
// prompt, so plan reports what the server would reject after submit: unknown class,
// missing required input, link to a missing node or output, link type mismatch, value
// not in list, out of range, wrong type, and a graph without an output node.
func Validate(g Graph, catalogue *ObjectInfo, opts ValidateOptions) hcl.Diagnostics {
	if catalogue == nil {
		return nil
	}
	v := &validator{g: g, cat: catalogue, opts: opts, ranges: paramRanges(g, catalogue, opts.Params)}
	hasOutput := false
	for _, id := range g.IDs() {
		n := g[id]
		def := catalogue.Class(n.ClassType)
		if def == nil {
			v.unknownClass(id, n)
			continue
		}
		hasOutput = hasOutput || def.OutputNode
		v.node(id, n, def)
	}
	if !hasOutput && !v.diags.HasErrors() {
		v.add("", "", "Workflow has no output node",
			"ComfyUI only runs graphs that end in an output node (SaveImage, PreviewImage, SaveVideo, ...); this one has none, so the server would reject it (prompt_no_outputs). Add a save node.")
	}
	return v.diags
}

type validator struct {
	g      Graph
	cat    *ObjectInfo
	opts   ValidateOptions
	ranges map[string]hcl.Range
	diags  hcl.Diagnostics
}

func (v *validator) node(id string, n *Node, def *NodeDef) {
	for _, in := range def.Inputs {
		if in.Section != "required" {
			continue
		}
		if _, ok := n.Inputs[in.Name]; !ok {
			v.add(id, in.Name, "Required input missing", fmt.Sprintf(
				"Node %q (%s) needs input %q (%s), which the workflow does not set. Wire it in the workflow or set it with a param %q.",
				id, nodeLabel(n), in.Name, in.Type, id+"."+in.Name))
		}
	}
	for _, name := range sortedKeys(n.Inputs) {
		in := def.Input(name)
		val := n.Inputs[name]
		if l, ok := val.(Link); ok {
			v.link(id, n, name, in, l)
			continue
		}
		if in == nil {
			continue // ComfyUI ignores inputs a class does not declare
		}
		if prob := checkValue(in, val, v.opts.Pending); prob != nil {
			v.add(id, name, valueSummary(prob.Kind), fmt.Sprintf("Node %q (%s): %s.", id, nodeLabel(n), prob.Detail))
		}
	}
}

func (v *validator) link(id string, n *Node, name string, in *InputDef, l Link) {
	src, ok := v.g[l.NodeID]
	if !ok {
		v.add(id, name, "Link to a missing node", fmt.Sprintf(
			"Input %q of node %q (%s) is wired to node %q, which is not in the workflow.", name, id, nodeLabel(n), l.NodeID))
		return
	}
	sdef := v.cat.Class(src.ClassType)
	if sdef == nil {
		return // reported as an unknown class
	}
	if l.Output >= len(sdef.Outputs) {
		v.add(id, name, "Link to a missing output", fmt.Sprintf(
			"Input %q of node %q (%s) is wired to output %d of node %q (%s), which has only %d output(s).",
			name, id, nodeLabel(n), l.Output, l.NodeID, src.ClassType, len(sdef.Outputs)))
		return
	}
	if in == nil {
		return
	}
	got := sdef.Outputs[l.Output].Type
	if !typesCompatible(got, in.Type) {
		v.add(id, name, "Link type mismatch", fmt.Sprintf(
			"Input %q of node %q (%s) takes %s, but it is wired to output %d of node %q (%s), which gives %s.",
			name, id, nodeLabel(n), in.Type, l.Output, l.NodeID, src.ClassType, got))
	}
}

// typesCompatible mirrors ComfyUI's validate_node_input: "*" matches anything, and
// comma-separated unions match when they share a type.
func typesCompatible(out, in string) bool {
	if out == in || out == "*" || in == "*" {
		return true
	}
	if in == "COMBO" && out == "COMBO" {
		return true
	}
	outs, ins := strings.Split(out, ","), strings.Split(in, ",")
	for _, o := range outs {
		for _, i := range ins {
			if strings.TrimSpace(o) == strings.TrimSpace(i) {
				return true
			}
		}
	}
	return false
}

func (v *validator) unknownClass(id string, n *Node) {
	detail := fmt.Sprintf("Node %q uses class %q, which the server does not have.", id, n.ClassType)
	pack := ""
	if v.opts.PackFor != nil {
		pack = v.opts.PackFor(n.ClassType)
	}
	if pack == "" && IsCoreClass(n.ClassType) {
		detail += " It is a core ComfyUI node (in ComfyUI 0.3.64 and later), so the server's ComfyUI is older than the workflow, or it was started without the node's module: update ComfyUI and restart it."
	} else if pack != "" {
		detail += fmt.Sprintf(" It is provided by the node pack %q: declare it with a node block (node \"x\" { registry = %q }) and plan again.", pack, pack)
	} else if h := packFor(n.ClassType); h != nil {
		detail += fmt.Sprintf(" It is probably provided by %s (registry id %q): add node \"x\" { registry = %q } and plan again.", h.Repo, h.Registry, h.Registry)
	} else if near := nearest(n.ClassType, v.cat.ClassNames()); near != "" {
		detail += fmt.Sprintf(" Did you mean %q? If it comes from a custom node pack, declare that pack with a node block.", near)
	} else {
		detail += " Install the custom node pack that provides it (declare it with a node block) and plan again."
	}
	v.add(id, "", "Unknown node class", detail)
}

// add records a diagnostic on the params entry that set node.input, else on the
// workflow attribute.
func (v *validator) add(id, input, summary, detail string) {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
	if r, ok := v.ranges[id+"."+input]; ok && input != "" {
		d.Subject = &r
	} else if v.opts.Workflow.Filename != "" {
		r := v.opts.Workflow
		d.Subject = &r
	}
	v.diags = append(v.diags, d)
}

// paramRanges maps "node.input" to the range of the param that sets it.
func paramRanges(g Graph, cat *ObjectInfo, params []Param) map[string]hcl.Range {
	out := map[string]hcl.Range{}
	if len(params) == 0 {
		return out
	}
	s, err := ExtractSchema(g, cat)
	if err != nil {
		return out
	}
	for i := range params {
		if id, input, d := resolveParam(g, s, cat, &params[i]); d == nil {
			out[id+"."+input] = params[i].Range
		}
	}
	return out
}
