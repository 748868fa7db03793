package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// orderedKV is one member of a JSON object, in document order.
type orderedKV struct {
	key string
	val json.RawMessage
}

type orderedMembers []orderedKV

// orderedObject splits a JSON object into its members without losing their order.
func orderedObject(data []byte) (orderedMembers, error) {
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, nil
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		if tok == nil {
			return nil, nil
		}
		return nil, fmt.Errorf("expected an object")
	}
	var out orderedMembers
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, _ := tok.(string)
		var val json.RawMessage
		if err := dec.Decode(&val); err != nil {
			return nil, err
		}
		out = append(out, orderedKV{key, val})
	}
	return out, nil
}

func (m orderedMembers) get(key string) (json.RawMessage, bool) {
	for _, kv := range m {
		if kv.key == key {
			return kv.val, true
		}
	}
	return nil, false
}

// reorder sorts members to follow order (members not named keep their relative place
// after the named ones).
func (m orderedMembers) reorder(order []string) {
	if len(order) == 0 {
		return
	}
	rank := make(map[string]int, len(order))
	for i, k := range order {
		rank[k] = i
	}
	out := make(orderedMembers, 0, len(m))
	used := map[string]bool{}
	for _, k := range order {
		for _, kv := range m {
			if kv.key == k && !used[k] {
				used[k] = true
				out = append(out, kv)
				break
			}
		}
	}
	for _, kv := range m {
		if _, ok := rank[kv.key]; !ok {
			out = append(out, kv)
		}
	}
	copy(m, out)
}
