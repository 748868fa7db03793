package workflow

import (
	"bytes"
	"encoding/json"
	"sort"
)

// ModelFile is a model the frontend records in a UI workflow (top-level "models" and
// nodes' properties.models): where to download it and where it goes.
type ModelFile struct {
	Name      string `json:"name"`
	URL       string `json:"url,omitempty"`
	Hash      string `json:"hash,omitempty"`
	HashType  string `json:"hash_type,omitempty"`
	Directory string `json:"directory,omitempty"`
	NodeID    string `json:"node,omitempty"` // "" for the top-level list
}

// EmbeddedModels lists the model files a UI-format workflow declares, in file order
// (subgraph definitions included). API-format and malformed files have none.
func EmbeddedModels(data []byte) []ModelFile {
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if dec.Decode(&top) != nil {
		return nil
	}
	var out []ModelFile
	add := func(raw any, node string) {
		for _, e := range listOf(raw) {
			m, _ := e.(map[string]any)
			if m == nil {
				continue
			}
			mf := ModelFile{NodeID: node}
			mf.Name, _ = m["name"].(string)
			mf.URL, _ = m["url"].(string)
			mf.Hash, _ = m["hash"].(string)
			mf.HashType, _ = m["hash_type"].(string)
			mf.Directory, _ = m["directory"].(string)
			if mf.Name != "" {
				out = append(out, mf)
			}
		}
	}
	add(top["models"], "")
	var walk func(graph map[string]any, prefix string)
	walk = func(graph map[string]any, prefix string) {
		for _, rn := range listOf(graph["nodes"]) {
			n, _ := rn.(map[string]any)
			if n == nil {
				continue
			}
			id, _ := idString(n["id"])
			props, _ := n["properties"].(map[string]any)
			add(props["models"], prefix+id)
		}
	}
	walk(top, "")
	if defs, ok := top["definitions"].(map[string]any); ok {
		for _, rs := range listOf(defs["subgraphs"]) {
			if sg, ok := rs.(map[string]any); ok {
				name, _ := sg["id"].(string)
				walk(sg, name+"/")
			}
		}
	}
	return out
}

// FolderAliases maps legacy /models folder names to current ones (folder_paths.py).
var FolderAliases = map[string]string{"unet": "diffusion_models", "clip": "text_encoders"}

// CanonicalFolder resolves a legacy folder alias.
func CanonicalFolder(f string) string {
	if c, ok := FolderAliases[f]; ok {
		return c
	}
	return f
}

func sortModelFiles(m []ModelFile) {
	sort.SliceStable(m, func(i, j int) bool { return m[i].Name < m[j].Name })
}
