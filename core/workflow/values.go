package workflow

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
)

// Problem kinds, named like ComfyUI's own validation error types.
const (
	ProblemType      = "invalid_input_type"
	ProblemNotInList = "value_not_in_list"
	ProblemTooSmall  = "value_smaller_than_min"
	ProblemTooBig    = "value_bigger_than_max"
)

// valueProblem is why a literal does not fit an input.
type valueProblem struct {
	Kind   string
	Detail string
}

// checkValue checks a literal against an input definition the way ComfyUI's
// validate_inputs does: type coercion, COMBO membership and INT/FLOAT ranges. pending
// reports COMBO values that will exist by the time the graph runs (models to install,
// files to upload).
func checkValue(def *InputDef, v any, pending func(string) bool) *valueProblem {
	if def == nil {
		return nil
	}
	if m, ok := v.(map[string]any); ok {
		if inner, ok := m["__value__"]; ok {
			v = inner
		}
	}
	switch def.Type {
	case "INT", "FLOAT":
		f, ok := numberOf(v)
		if !ok {
			if s, isStr := v.(string); isStr {
				if pf, _, err := big.ParseFloat(strings.TrimSpace(s), 10, 200, big.ToNearestEven); err == nil {
					f, ok = pf, true
				}
			}
		}
		if !ok {
			return &valueProblem{ProblemType, fmt.Sprintf("%s needs a number (%s), got %s", def.Name, def.Type, describe(v))}
		}
		if def.Type == "INT" && !f.IsInt() {
			return &valueProblem{ProblemType, fmt.Sprintf("%s needs a whole number (INT), got %s", def.Name, describe(v))}
		}
		if def.Min != "" {
			if mn, ok := numberOf(def.Min); ok && f.Cmp(mn) < 0 {
				return &valueProblem{ProblemTooSmall, fmt.Sprintf("%s: %s is smaller than the minimum %s", def.Name, describe(v), def.Min)}
			}
		}
		if def.Max != "" {
			if mx, ok := numberOf(def.Max); ok && f.Cmp(mx) > 0 {
				return &valueProblem{ProblemTooBig, fmt.Sprintf("%s: %s is bigger than the maximum %s", def.Name, describe(v), def.Max)}
			}
		}
	case "BOOLEAN":
		if _, ok := v.(bool); !ok {
			return &valueProblem{ProblemType, fmt.Sprintf("%s needs true or false (BOOLEAN), got %s", def.Name, describe(v))}
		}
	case "STRING":
		switch v.(type) {
		case string, json.Number, bool:
		default:
			return &valueProblem{ProblemType, fmt.Sprintf("%s needs a string, got %s", def.Name, describe(v))}
		}
	case "COMBO":
		if inOptions(def.Options, v) {
			return nil
		}
		if s, ok := v.(string); ok && pending != nil && pending(s) {
			return nil
		}
		return &valueProblem{ProblemNotInList, fmt.Sprintf("%s: %s not in %s", def.Name, describe(v), optionSummary(def.Options, v))}
	}
	return nil
}

func inOptions(opts []any, v any) bool {
	key := valueKey(v)
	for _, o := range opts {
		if valueKey(o) == key {
			return true
		}
	}
	return false
}

func valueKey(v any) string {
	switch t := v.(type) {
	case string:
		return "s:" + t
	case json.Number:
		if c, err := canonicalNumber(string(t)); err == nil {
			return "n:" + string(c.(json.Number))
		}
		return "n:" + string(t)
	default:
		if n, err := normalizeValue(v); err == nil {
			if num, ok := n.(json.Number); ok {
				return "n:" + string(num)
			}
		}
		return fmt.Sprintf("%T:%v", v, v)
	}
}

// optionSummary lists the choices (all when short, else a count and the nearest ones).
func optionSummary(opts []any, v any) string {
	if len(opts) == 0 {
		return "the list of choices, which is empty on this server"
	}
	strs := make([]string, 0, len(opts))
	for _, o := range opts {
		strs = append(strs, describe(o))
	}
	if len(strs) <= 20 {
		return "[" + strings.Join(strs, ", ") + "]"
	}
	s := fmt.Sprintf("the list of %d choices", len(opts))
	if str, ok := v.(string); ok {
		var names []string
		for _, o := range opts {
			if os, ok := o.(string); ok {
				names = append(names, os)
			}
		}
		if near := nearest(str, names); near != "" {
			s += fmt.Sprintf(" (did you mean %q?)", near)
		}
	}
	return s
}

func describe(v any) string {
	switch t := v.(type) {
	case nil:
		return "null"
	case string:
		return fmt.Sprintf("%q", t)
	case json.Number:
		return string(t)
	case Link:
		return fmt.Sprintf("a link to node %q output %d", t.NodeID, t.Output)
	case []any, map[string]any:
		b, _ := json.Marshal(toJSONValue(t))
		if len(b) > 60 {
			return string(b[:57]) + "..."
		}
		return string(b)
	default:
		return fmt.Sprint(t)
	}
}
