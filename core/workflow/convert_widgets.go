package workflow

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// mapWidgets maps a node's widgets_values onto its widget inputs: by name when the
// values are an object, else positionally in object_info order (required, optional),
// skipping the control_after_generate and upload-button values. Classes the catalogue
// does not know fall back to the widget inputs the node itself lists.
func (c *converter) mapWidgets(s *scope, n *uiNode, def *NodeDef) map[string]any {
	out := map[string]any{}
	if m, ok := n.Widgets.(map[string]any); ok {
		for k, v := range m {
			if def == nil || def.Input(k) != nil {
				out[k] = widgetValue(v)
			}
		}
		return out
	}
	vals := listOf(n.Widgets)
	if len(vals) == 0 {
		return out
	}
	type slot struct {
		name            string
		control, upload bool
		isInt           bool
	}
	var slots []slot
	if def != nil {
		for _, d := range def.Inputs {
			if d.Section == "hidden" || !d.IsWidget() {
				continue
			}
			seedLike := d.Type == "INT" && (d.Name == "seed" || d.Name == "noise_seed")
			upload := d.ImageUpload || d.Extra["video_upload"] == true || d.Extra["audio_upload"] == true
			slots = append(slots, slot{name: d.Name, control: d.ControlAfterGenerate || seedLike, upload: upload, isInt: d.Type == "INT"})
		}
	} else {
		for _, in := range n.Inputs {
			if in.Widget != "" {
				seedLike := in.Widget == "seed" || in.Widget == "noise_seed"
				slots = append(slots, slot{name: in.Widget, control: seedLike, isInt: in.Type == "INT"})
			}
		}
		if len(slots) == 0 {
			c.diags = append(c.diags, uiDiag(hcl.DiagWarning, "Widget values of an unknown node dropped",
				fmt.Sprintf("Node %s%s is a %q, which the server's /object_info does not list, so its %d widget value(s) cannot be named. Install the node pack that provides it and convert again.", s.prefix, n.ID, n.Type, len(vals))))
			return out
		}
	}
	pos := 0
	for _, sl := range slots {
		if pos >= len(vals) {
			break
		}
		c.warnDynamicPrompt(s, n, def, sl.name, vals[pos])
		out[sl.name] = widgetValue(vals[pos])
		pos++
		if sl.control && pos < len(vals) && isControl(vals[pos]) {
			pos++
		}
		if sl.upload && pos < len(vals) && isIn(uploadValues, vals[pos]) {
			pos++
		}
	}
	return out
}

// isControl: a control_after_generate value; very old files stored a boolean.
func isControl(v any) bool {
	_, isBool := v.(bool)
	return isBool || isIn(controlValues, v)
}

func isIn(set map[string]bool, v any) bool {
	s, ok := v.(string)
	return ok && set[s]
}

// child returns the scope of subgraph instance inst inside s, with the instance's
// promoted widget values (properties.proxyWidgets, or the widget-valued subgraph inputs
// in order when the file predates proxyWidgets).
func (c *converter) child(s *scope, inst *uiNode) *scope {
	prefix := s.prefix + inst.ID + ":"
	if cs, ok := c.scopes[prefix]; ok {
		return cs
	}
	cs := &scope{prefix: prefix, parent: s, instance: inst, depth: s.depth + 1, defID: inst.Type,
		promoted: map[string]any{}, overrides: map[string]map[string]any{}}
	c.scopes[prefix] = cs
	if gd, ok := c.groups[inst.Type]; ok {
		cs.g, cs.byIndex = gd.graph(inst), true
		return cs
	}
	sub := c.defs[inst.Type]
	cs.g = sub
	vals := listOf(inst.Widgets)
	if len(inst.Proxy) > 0 {
		pos := 0
		for _, p := range inst.Proxy {
			if p[1] == "control_after_generate" || p[1] == "control_before_generate" {
				continue
			}
			if pos >= len(vals) {
				break
			}
			v := vals[pos]
			pos++
			if p[0] == "-1" {
				cs.promoted[p[1]] = v
			} else {
				if cs.overrides[p[0]] == nil {
					cs.overrides[p[0]] = map[string]any{}
				}
				cs.overrides[p[0]][p[1]] = v
			}
		}
		return cs
	}
	pos := 0
	for _, in := range sub.inputs {
		socket := false
		for _, ii := range inst.Inputs {
			if ii.Name == in.Name && ii.Widget == "" {
				socket = true
			}
		}
		if socket || pos >= len(vals) {
			continue
		}
		cs.promoted[in.Name] = vals[pos]
		pos++
		if in.Type == "INT" && pos < len(vals) && isControl(vals[pos]) {
			pos++
		}
	}
	return cs
}

// warnDynamicPrompt notes {a|b} choices in a dynamicPrompts widget: the frontend picks
// one at random each time it queues, which a plan cannot do and stay reproducible.
func (c *converter) warnDynamicPrompt(s *scope, n *uiNode, def *NodeDef, name string, v any) {
	text, ok := v.(string)
	if !ok || def == nil || def.Input(name) == nil || def.Input(name).Extra["dynamicPrompts"] != true {
		return
	}
	brace := strings.Index(text, "{")
	if brace < 0 || !strings.Contains(text[brace:], "|") || !strings.Contains(text[brace:], "}") {
		return
	}
	c.diags = append(c.diags, uiDiag(hcl.DiagWarning, "Dynamic prompt sent as written",
		fmt.Sprintf("Input %q of node %s%s (%s) uses {a|b} choices. The ComfyUI frontend picks one at random each time it queues; comfyhcl sends the text as written so plans stay reproducible. Write one option per render, or sweep over them.", name, s.prefix, n.ID, n.Type)))
}
