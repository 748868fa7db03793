package comfyapi

import (
	"encoding/json"
	"sort"
)

// FileRef is one file a node produced, as the server names it.
type FileRef struct {
	NodeID    string `json:"node_id"`
	Key       string `json:"key"` // images, gifs, video, videos, audio, ...
	Filename  string `json:"filename"`
	Subfolder string `json:"subfolder"`
	Type      string `json:"type"` // output, temp or input
}

// fileRefs walks every key of every node whose value is a list of objects
// carrying a filename: images, gifs, video (Cloud), videos, audio, and
// whatever custom nodes invent. Order is deterministic.
func fileRefs(outputs map[string]map[string]json.RawMessage) []FileRef {
	var refs []FileRef
	for _, node := range sortedKeys(outputs) {
		refs = append(refs, nodeFileRefs(node, outputs[node])...)
	}
	return refs
}

func nodeFileRefs(node string, keys map[string]json.RawMessage) []FileRef {
	var refs []FileRef
	for _, key := range sortedKeys(keys) {
		var items []json.RawMessage
		if json.Unmarshal(keys[key], &items) != nil {
			continue
		}
		for _, it := range items {
			var f FileRef
			if json.Unmarshal(it, &f) != nil || f.Filename == "" {
				continue
			}
			f.NodeID, f.Key = node, key
			if f.Type == "" {
				f.Type = "output"
			}
			refs = append(refs, f)
		}
	}
	return refs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
