package workflow

import (
	"path"
	"regexp"
	"sort"
	"strings"
)

// Dependencies is what a graph needs from a server beyond itself.
type Dependencies struct {
	Classes    []string    // node class types, sorted
	Models     []ModelRef  // model files, sorted by folder then name; embeddings included
	Embeddings []ModelRef  // the embedding references alone
	Uploads    []UploadRef // files LoadImage-like inputs read from the input folder
}

// ModelRef is one model file a node loads.
type ModelRef struct {
	Folder    string `json:"folder"` // /models folder ("checkpoints"), "" when unknown
	Name      string `json:"name"`   // as written in the graph, subfolders included
	NodeID    string `json:"node"`
	ClassType string `json:"class_type"`
	Input     string `json:"input"`
	Embedding bool   `json:"embedding,omitempty"` // an embedding:name reference in text
}

// UploadRef is one input that names a file in the server's input folder.
type UploadRef struct {
	NodeID string `json:"node"`
	Input  string `json:"input"`
	Param  string `json:"param,omitempty"` // friendly name, when the schema has one
	Value  string `json:"value"`
}

// modelExtensions are the suffixes ComfyUI's folder_paths accepts, plus GGUF/ONNX.
var modelExtensions = []string{".safetensors", ".ckpt", ".pt", ".pt2", ".pth", ".bin", ".gguf", ".sft", ".onnx", ".pkl"}

// LooksLikeModelFile reports whether a value names a model file by its extension.
func LooksLikeModelFile(s string) bool {
	ext := strings.ToLower(path.Ext(s))
	for _, e := range modelExtensions {
		if ext == e {
			return true
		}
	}
	return false
}

// folderByInput guesses the folder of a model-looking COMBO on a node the loader table
// does not know, from its input name.
var folderByInput = map[string]string{
	"ckpt_name": "checkpoints", "lora_name": "loras", "vae_name": "vae", "unet_name": "diffusion_models",
	"clip_name": "text_encoders", "clip_name1": "text_encoders", "clip_name2": "text_encoders",
	"clip_name3": "text_encoders", "clip_name4": "text_encoders", "control_net_name": "controlnet",
	"style_model_name": "style_models", "gligen_name": "gligen", "hypernetwork_name": "hypernetworks",
	"ipadapter_file": "ipadapter", "upscale_model": "upscale_models",
}

// embeddingRef matches embedding:name in prompt text; weight syntax (embedding:x:1.2)
// stops at the colon.
var embeddingRef = regexp.MustCompile(`(?i)embedding:\s*([^\s,():\[\]{}|<>]+)`)

// FindDependencies lists the classes, model files (per loader table, and any COMBO
// whose value looks like a model file), embeddings and uploads of g. catalogue may be
// nil.
func FindDependencies(g Graph, catalogue *ObjectInfo) *Dependencies {
	d := &Dependencies{}
	classes := map[string]bool{}
	seenModel := map[string]bool{}
	addModel := func(m ModelRef) {
		key := m.Folder + "\x00" + m.Name
		if seenModel[key] {
			return
		}
		seenModel[key] = true
		d.Models = append(d.Models, m)
		if m.Embedding {
			d.Embeddings = append(d.Embeddings, m)
		}
	}
	names := map[string]string{} // "node.input" -> friendly name
	if s, err := ExtractSchema(g, catalogue); err == nil {
		for _, p := range s.Params {
			names[p.NodeID+"."+p.Input] = p.Name
		}
	}
	for _, id := range g.IDs() {
		n := g[id]
		classes[n.ClassType] = true
		for _, input := range sortedKeys(n.Inputs) {
			v, src := literalBehind(g, id, input)
			s, ok := v.(string)
			if !ok {
				continue
			}
			r := ruleFor(n.ClassType, input)
			if r != nil && r.Kind == KindPrimitive {
				continue // counted where the value is used
			}
			def := catalogue.Class(n.ClassType).Input(input)
			switch {
			case r != nil && r.Kind == KindModel:
				addModel(ModelRef{Folder: r.Folder, Name: s, NodeID: id, ClassType: n.ClassType, Input: input})
				continue
			case r != nil && r.Kind == KindUpload, def != nil && def.ImageUpload:
				d.Uploads = append(d.Uploads, UploadRef{NodeID: src, Input: srcInput(g, src, input), Param: names[src+"."+srcInput(g, src, input)], Value: s})
				continue
			}
			if LooksLikeModelFile(s) && (def == nil || def.Type == "COMBO") {
				addModel(ModelRef{Folder: folderByInput[input], Name: s, NodeID: id, ClassType: n.ClassType, Input: input})
				continue
			}
			for _, m := range embeddingRef.FindAllStringSubmatch(s, -1) {
				name := strings.TrimRight(m[1], ".")
				if name != "" {
					addModel(ModelRef{Folder: "embeddings", Name: name, NodeID: src, ClassType: g[src].ClassType, Input: srcInput(g, src, input), Embedding: true})
				}
			}
		}
	}
	for c := range classes {
		d.Classes = append(d.Classes, c)
	}
	sort.Strings(d.Classes)
	sort.SliceStable(d.Models, func(i, j int) bool {
		if d.Models[i].Folder != d.Models[j].Folder {
			return d.Models[i].Folder < d.Models[j].Folder
		}
		return d.Models[i].Name < d.Models[j].Name
	})
	return d
}

// literalBehind returns the literal value of node.input, looking through a link to a
// primitive node (the value then lives on that node); src is the node holding it.
func literalBehind(g Graph, id, input string) (any, string) {
	v := g[id].Inputs[input]
	l, ok := v.(Link)
	if !ok {
		return v, id
	}
	src := g[l.NodeID]
	if src == nil {
		return nil, id
	}
	for _, in := range sortedKeys(src.Inputs) {
		if r := ruleFor(src.ClassType, in); r != nil && r.Kind == KindPrimitive {
			if _, isLink := src.Inputs[in].(Link); !isLink {
				return src.Inputs[in], l.NodeID
			}
		}
	}
	return nil, id
}

// srcInput is the input holding a value on src: the primitive's value input, or input.
func srcInput(g Graph, src, input string) string {
	n := g[src]
	if _, ok := n.Inputs[input]; ok {
		return input
	}
	for _, in := range sortedKeys(n.Inputs) {
		if r := ruleFor(n.ClassType, in); r != nil && r.Kind == KindPrimitive {
			return in
		}
	}
	return input
}
