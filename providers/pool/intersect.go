package pool

import (
	"encoding/json"
	"fmt"
	"strings"
)

// intersectCatalogs is the node catalogue every member has: classes present on all of
// them, with each COMBO input's options cut to those all of them allow. Definitions
// otherwise come from the first member.
func intersectCatalogs(cats []*catalog) (json.RawMessage, error) {
	out := map[string]json.RawMessage{}
	for class, def := range cats[0].raw {
		everywhere := true
		for _, c := range cats[1:] {
			if _, ok := c.raw[class]; !ok {
				everywhere = false
				break
			}
		}
		if !everywhere {
			continue
		}
		if len(cats[0].combos[class]) == 0 || len(cats) == 1 {
			out[class] = def
			continue
		}
		cut, err := cutCombos(def, class, cats)
		if err != nil {
			return nil, err
		}
		out[class] = cut
	}
	return json.Marshal(out)
}

func cutCombos(def json.RawMessage, class string, cats []*catalog) (json.RawMessage, error) {
	var d map[string]any
	if err := decodeNumbers(def, &d); err != nil {
		return nil, err
	}
	groups, _ := d["input"].(map[string]any)
	for _, g := range groups {
		inputs, _ := g.(map[string]any)
		for name, spec := range inputs {
			arr, ok := spec.([]any)
			if !ok || len(arr) == 0 {
				continue
			}
			common := commonOptions(class, name, cats)
			if common == nil {
				continue
			}
			vals := make([]any, len(common))
			for i, s := range common {
				vals[i] = s
			}
			if _, isList := arr[0].([]any); isList {
				arr[0] = vals
			} else if len(arr) > 1 {
				if o, ok := arr[1].(map[string]any); ok {
					o["options"] = vals
				}
			}
		}
	}
	return json.Marshal(d)
}

// commonOptions is the options of class.input on every member, in the first one's order.
func commonOptions(class, input string, cats []*catalog) []string {
	first, ok := cats[0].combos[class][input]
	if !ok {
		return nil
	}
	common := []string{}
	for _, o := range first {
		all := true
		for _, c := range cats[1:] {
			if !contains(c.combos[class][input], o) {
				all = false
				break
			}
		}
		if all {
			common = append(common, o)
		}
	}
	return common
}

// missingFrom lists what the others have that c lacks: classes, then COMBO values
// (model files among them), at most limit entries plus a count of the rest.
func missingFrom(c *catalog, cats []*catalog, limit int) string {
	seen := map[string]bool{}
	var items []string
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			items = append(items, s)
		}
	}
	for _, o := range cats {
		for _, class := range sortedKeys(o.raw) {
			if _, ok := c.raw[class]; !ok {
				add("node class " + class)
			}
		}
	}
	for _, o := range cats {
		for _, class := range sortedKeys(o.combos) {
			if _, ok := c.raw[class]; !ok {
				continue
			}
			for _, in := range sortedKeys(o.combos[class]) {
				for _, v := range o.combos[class][in] {
					if !contains(c.combos[class][in], v) {
						add(fmt.Sprintf("%q (%s.%s)", v, class, in))
					}
				}
			}
		}
	}
	if len(items) == 0 {
		return ""
	}
	if len(items) > limit {
		return strings.Join(items[:limit], ", ") + fmt.Sprintf(" and %d more", len(items)-limit)
	}
	return strings.Join(items, ", ")
}
