package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
)

// ObjectInfo is a server's node catalogue (GET /object_info), by class name.
type ObjectInfo struct {
	Classes map[string]*NodeDef
}

// NodeDef is one class of /object_info.
type NodeDef struct {
	Name         string
	DisplayName  string
	Category     string
	PythonModule string // "nodes", "comfy_extras.nodes_x" or "custom_nodes.<pack>"
	OutputNode   bool
	Deprecated   bool
	// Inputs in object_info order: required, then optional, then hidden.
	Inputs  []*InputDef
	Outputs []OutputDef
	byName  map[string]*InputDef
}

// InputDef is one input of a class. Type is "INT", "FLOAT", "STRING", "BOOLEAN",
// "COMBO" (both /object_info shapes), or a link type such as "MODEL" or "*".
type InputDef struct {
	Name     string
	Section  string // "required", "optional" or "hidden"
	Type     string
	Options  []any // COMBO choices
	Default  any
	Min, Max json.Number // "" when absent
	Step     json.Number
	// ControlAfterGenerate marks seed-like INTs whose UI widget is followed by an extra
	// control_after_generate value in widgets_values.
	ControlAfterGenerate bool
	ImageUpload          bool // LoadImage-like: the value names a file in the input folder
	ForceInput           bool // a widget type that is only ever a socket
	Extra                map[string]any
}

// OutputDef is one output slot of a class.
type OutputDef struct {
	Type   string
	Name   string
	IsList bool
}

// Required reports whether the input must be present.
func (d *InputDef) Required() bool { return d.Section == "required" }

// IsWidget reports whether the input takes a literal (widget) value rather than a link.
func (d *InputDef) IsWidget() bool {
	if d.ForceInput {
		return false
	}
	switch d.Type {
	case "INT", "FLOAT", "STRING", "BOOLEAN", "COMBO":
		return true
	}
	return false
}

// Class returns the definition of a class, or nil.
func (o *ObjectInfo) Class(name string) *NodeDef {
	if o == nil {
		return nil
	}
	return o.Classes[name]
}

// Input returns the named input of the class, or nil.
func (d *NodeDef) Input(name string) *InputDef {
	if d == nil {
		return nil
	}
	return d.byName[name]
}

// ClassNames returns every class name, sorted.
func (o *ObjectInfo) ClassNames() []string {
	if o == nil {
		return nil
	}
	names := make([]string, 0, len(o.Classes))
	for n := range o.Classes {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// ParseObjectInfo decodes a /object_info response (or /object_info/{class}, which has
// the same shape). Input order is preserved from the JSON, since UI widgets_values map
// onto it positionally; "input_order" wins where the server sends it.
func ParseObjectInfo(data []byte) (*ObjectInfo, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("object_info: %w", err)
	}
	oi := &ObjectInfo{Classes: make(map[string]*NodeDef, len(raw))}
	for name, msg := range raw {
		def, err := parseNodeDef(name, msg)
		if err != nil {
			return nil, fmt.Errorf("object_info: class %q: %w", name, err)
		}
		oi.Classes[name] = def
	}
	return oi, nil
}

type rawNodeDef struct {
	Input        json.RawMessage     `json:"input"`
	InputOrder   map[string][]string `json:"input_order"`
	Output       []json.RawMessage   `json:"output"`
	OutputIsList []bool              `json:"output_is_list"`
	OutputName   []string            `json:"output_name"`
	Name         string              `json:"name"`
	DisplayName  string              `json:"display_name"`
	Category     string              `json:"category"`
	PythonModule string              `json:"python_module"`
	OutputNode   bool                `json:"output_node"`
	Deprecated   bool                `json:"deprecated"`
}

func parseNodeDef(name string, msg json.RawMessage) (*NodeDef, error) {
	var r rawNodeDef
	if err := json.Unmarshal(msg, &r); err != nil {
		return nil, err
	}
	def := &NodeDef{Name: name, DisplayName: r.DisplayName, Category: r.Category,
		PythonModule: r.PythonModule, OutputNode: r.OutputNode, Deprecated: r.Deprecated,
		byName: map[string]*InputDef{}}
	for i, o := range r.Output {
		od := OutputDef{Type: outputType(o)}
		if i < len(r.OutputName) {
			od.Name = r.OutputName[i]
		}
		if i < len(r.OutputIsList) {
			od.IsList = r.OutputIsList[i]
		}
		def.Outputs = append(def.Outputs, od)
	}
	sections, err := orderedObject(r.Input)
	if err != nil {
		return nil, fmt.Errorf("input: %w", err)
	}
	for _, section := range []string{"required", "optional", "hidden"} {
		body, ok := sections.get(section)
		if !ok {
			continue
		}
		inputs, err := orderedObject(body)
		if err != nil {
			return nil, fmt.Errorf("input.%s: %w", section, err)
		}
		inputs.reorder(r.InputOrder[section])
		for _, kv := range inputs {
			in, err := parseInputDef(kv.key, section, kv.val)
			if err != nil {
				return nil, fmt.Errorf("input %q: %w", kv.key, err)
			}
			def.Inputs = append(def.Inputs, in)
			def.byName[in.Name] = in
		}
	}
	return def, nil
}

// outputType reads an output type: a string, or a list of choices (a COMBO output).
func outputType(msg json.RawMessage) string {
	var s string
	if json.Unmarshal(msg, &s) == nil {
		return s
	}
	return "COMBO"
}

func parseInputDef(name, section string, msg json.RawMessage) (*InputDef, error) {
	in := &InputDef{Name: name, Section: section}
	var spec []json.RawMessage
	if err := decodeNumbers(msg, &spec); err != nil || len(spec) == 0 {
		var bare string // hidden inputs are bare strings: "prompt": "PROMPT"
		if json.Unmarshal(msg, &bare) == nil {
			in.Type = bare
			return in, nil
		}
		return nil, fmt.Errorf("input spec is not a non-empty list")
	}
	var opts map[string]any
	if len(spec) > 1 {
		_ = decodeNumbers(spec[1], &opts)
	}
	var typ string
	var choices []any
	if err := decodeNumbers(spec[0], &typ); err == nil {
		in.Type = typ
	} else if err := decodeNumbers(spec[0], &choices); err == nil {
		in.Type, in.Options = "COMBO", normalizeList(choices)
	} else {
		in.Type = "*"
	}
	if in.Type == "COMBO" && in.Options == nil {
		if l, ok := opts["options"].([]any); ok {
			in.Options = normalizeList(l)
		}
	}
	if opts != nil {
		in.Extra = opts
		in.Default, _ = normalizeValue(opts["default"])
		in.Min = numberField(opts, "min")
		in.Max = numberField(opts, "max")
		in.Step = numberField(opts, "step")
		in.ControlAfterGenerate, _ = opts["control_after_generate"].(bool)
		in.ImageUpload, _ = opts["image_upload"].(bool)
		in.ForceInput, _ = opts["forceInput"].(bool)
	}
	return in, nil
}

func normalizeList(l []any) []any {
	if l == nil {
		return []any{}
	}
	if n, err := normalizeValue(l); err == nil {
		return n.([]any)
	}
	return l
}

func numberField(opts map[string]any, key string) json.Number {
	if n, ok := opts[key].(json.Number); ok {
		if c, err := canonicalNumber(string(n)); err == nil {
			return c.(json.Number)
		}
	}
	return ""
}

func decodeNumbers(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	return dec.Decode(v)
}
