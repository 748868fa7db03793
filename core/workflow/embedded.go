package workflow

import (
	"bytes"
	"encoding/json"
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

// PackRef is the node pack a UI workflow records for a class (properties.cnr_id /
// aux_id / ver, written by newer frontends).
type PackRef struct {
	Registry string `json:"cnr_id,omitempty"` // Comfy Registry id
	Repo     string `json:"aux_id,omitempty"` // "github-user/repo" for packs outside the registry
	Version  string `json:"ver,omitempty"`    // semver or commit
}

// EmbeddedPacks maps each custom class of a UI-format workflow to the pack its nodes
// record (core classes, "comfy-core", are left out). Callers can answer
// ValidateOptions.PackFor from it.
func EmbeddedPacks(data []byte) map[string]PackRef {
	var top map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if dec.Decode(&top) != nil {
		return nil
	}
	out := map[string]PackRef{}
	walk := func(graph map[string]any) {
		for _, rn := range listOf(graph["nodes"]) {
			n, _ := rn.(map[string]any)
			props, _ := n["properties"].(map[string]any)
			class, _ := n["type"].(string)
			if props == nil || class == "" {
				continue
			}
			var p PackRef
			p.Registry, _ = props["cnr_id"].(string)
			p.Repo, _ = props["aux_id"].(string)
			p.Version, _ = props["ver"].(string)
			if p.Registry == "comfy-core" || (p.Registry == "" && p.Repo == "") {
				continue
			}
			out[class] = p
		}
	}
	walk(top)
	if defs, ok := top["definitions"].(map[string]any); ok {
		for _, rs := range listOf(defs["subgraphs"]) {
			if sg, ok := rs.(map[string]any); ok {
				walk(sg)
			}
		}
	}
	return out
}
