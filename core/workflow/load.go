package workflow

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Load reads a workflow file in API or UI format and returns it in API format. UI files
// are converted with catalogue (a server's /object_info); without one they are an error
// that says so. Malformed JSON is reported at the line and column of the JSON error.
func Load(filename string, data []byte, catalogue *ObjectInfo) (Graph, Format, hcl.Diagnostics) {
	fileRange := hcl.Range{Filename: filename, Start: hcl.InitialPos, End: hcl.InitialPos}
	var top any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&top)
	if err == nil {
		if _, terr := dec.Token(); terr == nil {
			err = fmt.Errorf("unexpected data after the top-level value")
			off := dec.InputOffset()
			return nil, FormatAPI, jsonDiag(filename, data, off, err)
		}
	}
	if err != nil {
		return nil, FormatAPI, jsonDiag(filename, data, jsonErrorOffset(err, dec), err)
	}
	obj, ok := top.(map[string]any)
	if !ok {
		return nil, FormatAPI, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not a ComfyUI workflow",
			Detail:   fmt.Sprintf("%s holds a JSON %s, but a workflow is a JSON object: either API format ({\"<id>\": {\"class_type\": ..., \"inputs\": ...}}) or UI format ({\"nodes\": [...], \"links\": [...]}).", filename, jsonKind(top)),
			Subject:  &fileRange,
		}}
	}
	obj, unwrapped := unwrapEnvelope(obj)
	var notes hcl.Diagnostics
	if unwrapped != "" {
		notes = hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Workflow inside an envelope",
			Detail:  fmt.Sprintf("%s is not a bare workflow but an object whose %q member holds one (a /prompt request body or saved metadata); that member was used.", filename, unwrapped),
			Subject: &fileRange}}
	}
	g, f, diags := loadObject(filename, obj, catalogue, fileRange)
	return g, f, append(notes, diags...)
}

// unwrapEnvelope returns the workflow inside {"prompt": {...}} (a /prompt request body)
// or {"workflow": {...}} (saved extra_pnginfo) when the outer object is neither format.
func unwrapEnvelope(obj map[string]any) (map[string]any, string) {
	if detectFormat(obj) != formatUnknown {
		return obj, ""
	}
	for _, key := range []string{"prompt", "workflow"} {
		if inner, ok := obj[key].(map[string]any); ok && detectFormat(inner) != formatUnknown {
			return inner, key
		}
	}
	return obj, ""
}

func loadObject(filename string, obj map[string]any, catalogue *ObjectInfo, fileRange hcl.Range) (Graph, Format, hcl.Diagnostics) {
	switch detectFormat(obj) {
	case FormatUI:
		if catalogue == nil {
			return nil, FormatUI, hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "UI-format workflow needs a node catalogue",
				Detail:   fmt.Sprintf("%s is a UI-format workflow (the frontend's \"Save\" format). Converting it to API format needs the server's /object_info: give a provider that can reach the server, or pass -object-info FILE / -url URL; or export the workflow with \"Export (API)\" instead.", filename),
				Subject:  &fileRange,
			}}
		}
		g, diags := ConvertUI(obj, catalogue)
		for _, d := range diags {
			if d.Subject == nil {
				d.Subject = &fileRange
			}
		}
		return g, FormatUI, diags
	case FormatAPI:
		g, diags := fromAPIObject(obj)
		for _, d := range diags {
			d.Subject = &fileRange
			d.Detail = filename + ": " + d.Detail
		}
		return g, FormatAPI, diags
	default:
		return nil, FormatAPI, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Not a ComfyUI workflow",
			Detail:   fmt.Sprintf("%s is JSON but neither API format (every top-level value a node object with \"class_type\" and \"inputs\") nor UI format (top-level \"nodes\" and \"links\" lists). Found top-level keys: %s.", filename, keyList(obj)),
			Subject:  &fileRange,
		}}
	}
}

// formatUnknown is returned by detectFormat for JSON that is neither format.
const formatUnknown Format = -1

func detectFormat(obj map[string]any) Format {
	if _, ok := obj["nodes"].([]any); ok {
		return FormatUI
	}
	nodes := 0
	for k, v := range obj {
		m, ok := v.(map[string]any)
		if !ok {
			if strings.HasPrefix(k, "_") {
				continue // comments such as "_comment" beside the nodes
			}
			return formatUnknown
		}
		if _, ok := m["class_type"]; !ok {
			return formatUnknown
		}
		nodes++
	}
	if nodes == 0 {
		return formatUnknown
	}
	return FormatAPI
}

// FromValue builds a graph from a decoded JSON-like API-format value: a map of node id
// to {"class_type", "inputs", "_meta"?}. Callers convert inline HCL objects to such a
// value first. Numbers may be any Go numeric type, json.Number or *big.Float.
func FromValue(v any) (Graph, error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("a workflow must be an object of nodes keyed by id, not %s", jsonKind(v))
	}
	g, diags := fromAPIObject(obj)
	if diags.HasErrors() {
		return nil, errors.New(diags.Error())
	}
	return g, nil
}

func fromAPIObject(obj map[string]any) (Graph, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	g := make(Graph, len(obj))
	for _, id := range sortedKeys(obj) {
		raw, ok := obj[id].(map[string]any)
		if !ok {
			if strings.HasPrefix(id, "_") {
				continue
			}
			diags = append(diags, apiDiag(fmt.Sprintf("node %q is a JSON %s, not an object with \"class_type\" and \"inputs\".", id, jsonKind(obj[id]))))
			continue
		}
		n, err := nodeFromAPI(raw)
		if err != nil {
			diags = append(diags, apiDiag(fmt.Sprintf("node %q: %v.", id, err)))
			continue
		}
		g[id] = n
	}
	if len(g) == 0 && !diags.HasErrors() {
		diags = append(diags, apiDiag("the workflow has no nodes."))
	}
	return g, diags
}

func nodeFromAPI(raw map[string]any) (*Node, error) {
	ct, ok := raw["class_type"].(string)
	if !ok || ct == "" {
		return nil, fmt.Errorf("\"class_type\" is missing or not a string")
	}
	n := &Node{ClassType: ct, Inputs: map[string]any{}}
	if rawIn, present := raw["inputs"]; present && rawIn != nil {
		in, ok := rawIn.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("\"inputs\" is a JSON %s, not an object", jsonKind(rawIn))
		}
		for name, v := range in {
			val, err := apiInputValue(v)
			if err != nil {
				return nil, fmt.Errorf("input %q: %v", name, err)
			}
			n.Inputs[name] = val
		}
	}
	if meta, ok := raw["_meta"].(map[string]any); ok {
		m, err := normalizeValue(meta)
		if err != nil {
			return nil, fmt.Errorf("_meta: %v", err)
		}
		n.Meta = m.(map[string]any)
	}
	return n, nil
}

// apiInputValue reads one API input: a 2-list [id, index] is a link (as ComfyUI reads
// it); anything else is a literal.
func apiInputValue(v any) (any, error) {
	if l, ok := v.([]any); ok && len(l) == 2 {
		if link, ok := linkOf(l); ok {
			return link, nil
		}
	}
	if l, ok := v.(Link); ok {
		return l, nil
	}
	return normalizeValue(v)
}

func linkOf(l []any) (Link, bool) {
	var id string
	switch t := l[0].(type) {
	case string:
		id = t
	case json.Number:
		id = t.String()
	case int, int64, float64:
		n, err := normalizeValue(t)
		if err != nil {
			return Link{}, false
		}
		id = string(n.(json.Number))
	default:
		return Link{}, false
	}
	f, ok := numberOf(l[1])
	if !ok || !f.IsInt() {
		return Link{}, false
	}
	idx, acc := f.Int64()
	if acc != 0 || idx < 0 || idx > 1<<20 {
		return Link{}, false
	}
	return Link{NodeID: id, Output: int(idx)}, true
}

func apiDiag(detail string) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid API-format workflow", Detail: detail}
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case bool:
		return "boolean"
	default:
		return "number"
	}
}

func keyList(obj map[string]any) string {
	keys := sortedKeys(obj)
	if len(keys) > 8 {
		keys = append(keys[:8], "...")
	}
	for i, k := range keys {
		if k != "..." {
			keys[i] = strconv.Quote(k)
		}
	}
	if len(keys) == 0 {
		return "none (empty object)"
	}
	return strings.Join(keys, ", ")
}
