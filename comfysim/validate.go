package comfysim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// This file mirrors execution.py validate_prompt / validate_inputs of
// ComfyUI 0.3.64, including its error objects and their wording.

type pyExc struct {
	typ, msg string
	tb       []string
}

type vResult struct {
	ok      bool
	reasons []map[string]any
}

type validator struct {
	s         *Server
	prompt    map[string]any
	validated map[string]vResult
	order     []string // insertion order of validated
	visiting  map[string]bool
}

func errObj(typ, msg, details string, extra map[string]any) map[string]any {
	if extra == nil {
		extra = map[string]any{}
	}
	return map[string]any{"type": typ, "message": msg, "details": details, "extra_info": extra}
}

func nodeOf(prompt map[string]any, id string) map[string]any {
	n, _ := prompt[id].(map[string]any)
	return n
}

func classOf(prompt map[string]any, id string) string {
	c, _ := nodeOf(prompt, id)["class_type"].(string)
	return c
}

// validatePrompt returns (error, good outputs, node_errors); error nil = ok.
func (s *Server) validatePrompt(prompt map[string]any, partial []string) (map[string]any, []string, *omap) {
	ids := sortedIDs(prompt)
	var outputs []string
	for _, id := range ids {
		n := nodeOf(prompt, id)
		ct, has := n["class_type"]
		if n == nil || !has {
			return errObj("invalid_prompt", "Cannot execute because a node is missing the class_type property.", fmt.Sprintf("Node ID '#%s'", id), nil), nil, newOmap()
		}
		class := pyStr(ct)
		e, ok := s.entry(class)
		if !ok {
			return errObj("invalid_prompt", fmt.Sprintf("Cannot execute because node %s does not exist.", class), fmt.Sprintf("Node ID '#%s'", id), nil), nil, newOmap()
		}
		if isOutputNode(e) && (partial == nil || contains(partial, id)) {
			outputs = append(outputs, id)
		}
	}
	if len(outputs) == 0 {
		return errObj("prompt_no_outputs", "Prompt has no outputs", "", nil), nil, newOmap()
	}
	v := &validator{s: s, prompt: prompt, validated: map[string]vResult{}, visiting: map[string]bool{}}
	var good []string
	var outErrs []string
	nodeErrors := newOmap()
	for _, o := range outputs {
		res, exc := v.validateInputs(o)
		if exc != nil {
			res = vResult{reasons: []map[string]any{errObj("exception_during_validation", "Exception when validating node", exc.msg,
				map[string]any{"exception_type": exc.typ, "traceback": exc.tb})}}
			v.set(o, res)
		}
		if res.ok {
			good = append(good, o)
			continue
		}
		for _, r := range res.reasons {
			outErrs = append(outErrs, fmt.Sprintf("%s: %s", r["message"], r["details"]))
		}
		for _, id := range v.order {
			r := v.validated[id]
			if r.ok || len(r.reasons) == 0 {
				continue
			}
			ne, ok := nodeErrors.get(id)
			if !ok {
				ne = map[string]any{"errors": r.reasons, "dependent_outputs": []string{}, "class_type": classOf(prompt, id)}
				nodeErrors.set(id, ne)
			}
			m := ne.(map[string]any)
			m["dependent_outputs"] = append(m["dependent_outputs"].([]string), o)
		}
	}
	if len(good) == 0 {
		return errObj("prompt_outputs_failed_validation", "Prompt outputs failed validation", strings.Join(outErrs, "\n"), nil), nil, nodeErrors
	}
	return nil, good, nodeErrors
}

func (v *validator) set(id string, r vResult) {
	if _, ok := v.validated[id]; !ok {
		v.order = append(v.order, id)
	}
	v.validated[id] = r
}

var tbValidate = []string{
	"  File \"/opt/ComfyUI/execution.py\", line 1010, in validate_prompt\n    m = await validate_inputs(prompt_id, prompt, o, validated)\n        ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^\n",
	"  File \"/opt/ComfyUI/execution.py\", line 788, in validate_inputs\n    o_class_type = prompt[o_id]['class_type']\n                   ~~~~~~^^^^^^\n",
}

func (v *validator) validateInputs(id string) (vResult, *pyExc) {
	if r, ok := v.validated[id]; ok {
		return r, nil
	}
	if v.visiting[id] {
		// ComfyUI 0.3.64 recurses forever on a cycle and dies with RecursionError.
		return vResult{}, &pyExc{typ: "RecursionError", msg: "maximum recursion depth exceeded", tb: tbValidate[:1]}
	}
	v.visiting[id] = true
	defer delete(v.visiting, id)
	node := nodeOf(v.prompt, id)
	inputs, _ := node["inputs"].(map[string]any)
	if inputs == nil {
		inputs = map[string]any{}
		if node != nil {
			node["inputs"] = inputs
		}
	}
	class := classOf(v.prompt, id)
	e, _ := v.s.entry(class)
	impl := implFor(class)
	var errs []map[string]any
	valid := true
	for _, in := range classInputs(e) {
		x := in.name
		val, present := inputs[x]
		if !present {
			if in.category == "required" {
				errs = append(errs, errObj("required_input_missing", "Required input is missing", x, map[string]any{"input_name": x}))
			}
			continue
		}
		info := in.raw
		if link, ok := val.([]any); ok {
			if len(link) != 2 {
				errs = append(errs, errObj("bad_linked_input", "Bad linked input, must be a length-2 list of [node_id, slot_index]", x,
					map[string]any{"input_name": x, "input_config": info, "received_value": val}))
				continue
			}
			oid, isStr := link[0].(string)
			src := nodeOf(v.prompt, oid)
			if !isStr || src == nil {
				return vResult{}, &pyExc{typ: "KeyError", msg: pyRepr(link[0]), tb: tbValidate}
			}
			srcEntry, ok := v.s.entry(classOf(v.prompt, oid))
			if !ok {
				return vResult{}, &pyExc{typ: "KeyError", msg: pyRepr(classOf(v.prompt, oid))}
			}
			outs := classOutputs(srcEntry)
			slotN, isNum := link[1].(json.Number)
			if !isNum {
				return vResult{}, &pyExc{typ: "TypeError", msg: "tuple indices must be integers or slices, not " + pyTypeName(link[1])}
			}
			slot, err := strconv.Atoi(string(slotN))
			if err != nil || slot < -len(outs) || slot >= len(outs) {
				return vResult{}, &pyExc{typ: "IndexError", msg: "tuple index out of range"}
			}
			if slot < 0 {
				slot += len(outs)
			}
			recv := outs[slot]
			want := in.typ
			if want == "" {
				want = "COMBO"
			}
			if !typesMatch(recv, want) {
				errs = append(errs, errObj("return_type_mismatch", "Return type mismatch between linked nodes",
					fmt.Sprintf("%s, received_type(%s) mismatch input_type(%s)", x, recv, pyStr(info[0])),
					map[string]any{"input_name": x, "input_config": info, "received_type": recv, "linked_node": val}))
				continue
			}
			r, exc := v.validateInputs(oid)
			if exc != nil {
				valid = false
				v.set(oid, vResult{reasons: []map[string]any{errObj("exception_during_inner_validation", "Exception when validating inner node", exc.msg,
					map[string]any{"input_name": x, "input_config": info, "exception_message": exc.msg, "exception_type": exc.typ, "traceback": exc.tb, "linked_node": val})}})
				continue
			}
			if !r.ok {
				valid = false
			}
			continue
		}
		if m, ok := val.(map[string]any); ok {
			if inner, ok := m["__value__"]; ok {
				val = inner
				inputs[x] = val
			}
		}
		conv, err := coerce(in.typ, val)
		if err != nil {
			errs = append(errs, errObj("invalid_input_type", fmt.Sprintf("Failed to convert an input value to a %s value", in.typ),
				fmt.Sprintf("%s, %s, %s", x, pyStr(val), err.Error()),
				map[string]any{"input_name": x, "input_config": info, "received_value": val, "exception_message": err.Error()}))
			continue
		}
		val = conv
		inputs[x] = val
		if impl.validateInputs != nil && contains(impl.customValidated, x) {
			continue
		}
		if n, ok := val.(json.Number); ok {
			if b, has := in.extra.get("min"); has {
				if c, ok := numCmp(n, b); ok && c < 0 {
					errs = append(errs, errObj("value_smaller_than_min", fmt.Sprintf("Value %s smaller than min of %s", pyStr(val), pyStr(b)), x,
						map[string]any{"input_name": x, "input_config": info, "received_value": val}))
					continue
				}
			}
			if b, has := in.extra.get("max"); has {
				if c, ok := numCmp(n, b); ok && c > 0 {
					errs = append(errs, errObj("value_bigger_than_max", fmt.Sprintf("Value %s bigger than max of %s", pyStr(val), pyStr(b)), x,
						map[string]any{"input_name": x, "input_config": info, "received_value": val}))
					continue
				}
			}
		}
		if in.isCombo {
			found := false
			for _, o := range in.options {
				if jsonEq(o, val) {
					found = true
					break
				}
			}
			if !found {
				var config any = info
				listInfo := pyRepr(in.options)
				if len(in.options) > 20 {
					listInfo = fmt.Sprintf("(list of length %d)", len(in.options))
					config = nil
				}
				errs = append(errs, errObj("value_not_in_list", "Value not in list", fmt.Sprintf("%s: '%s' not in %s", x, pyStr(val), listInfo),
					map[string]any{"input_name": x, "input_config": config, "received_value": val}))
				continue
			}
		}
	}
	if impl.validateInputs != nil {
		for _, x := range impl.customValidated {
			if msg := impl.validateInputs(v.s, inputs[x]); msg != "" {
				errs = append(errs, errObj("custom_validation_failed", "Custom validation failed for node", x+" - "+msg, map[string]any{"input_name": x}))
			}
		}
	}
	r := vResult{ok: len(errs) == 0 && valid, reasons: errs}
	if r.reasons == nil {
		r.reasons = []map[string]any{}
	}
	v.set(id, r)
	return r, nil
}

// coerce applies validate_inputs' INT/FLOAT/STRING/BOOLEAN conversions.
func coerce(typ string, val any) (any, error) {
	switch typ {
	case "INT":
		i, err := pyInt(val)
		if err != nil {
			return nil, err
		}
		return json.Number(i.String()), nil
	case "FLOAT":
		f, err := pyFloatOf(val)
		if err != nil {
			return nil, err
		}
		return pyFloatNumber(f), nil
	case "STRING":
		return pyStr(val), nil
	case "BOOLEAN":
		return pyTruth(val), nil
	}
	return val, nil
}

func typesMatch(recv, want string) bool {
	if recv == "*" || want == "*" || recv == want {
		return true
	}
	ws := strings.Split(want, ",")
	for _, r := range strings.Split(recv, ",") {
		if !contains(ws, strings.TrimSpace(r)) {
			return false
		}
	}
	return true
}

func pyTypeName(v any) string {
	switch v.(type) {
	case string:
		return "str"
	case nil:
		return "NoneType"
	case bool:
		return "bool"
	case []any:
		return "list"
	case map[string]any:
		return "dict"
	}
	return "float"
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// sortedIDs orders node ids numerically when they are numbers, else as strings.
func sortedIDs(m map[string]any) []string {
	ids := make([]string, 0, len(m))
	for k := range m {
		ids = append(ids, k)
	}
	sort.Slice(ids, func(i, j int) bool { return idLess(ids[i], ids[j]) })
	return ids
}

func idLess(a, b string) bool {
	ai, e1 := strconv.Atoi(a)
	bi, e2 := strconv.Atoi(b)
	if e1 == nil && e2 == nil {
		return ai < bi
	}
	if (e1 == nil) != (e2 == nil) {
		return e1 == nil
	}
	return a < b
}
