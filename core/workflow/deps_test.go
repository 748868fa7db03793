package workflow

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

func TestDependencies(t *testing.T) {
	g := mustGraph(t, `{
	 "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sd15/dreamshaper_8.safetensors"}},
	 "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat, embedding:EasyNegative, (embedding:bad_hands.pt:1.2) embedding:sub/style.", "clip": ["1", 1]}},
	 "3": {"class_type": "LoraLoader", "inputs": {"lora_name": ["9", 0], "strength_model": 1}},
	 "4": {"class_type": "SomeCustomLoader", "inputs": {"model_file": "custom.gguf", "other": "not-a-model.txt"}},
	 "5": {"class_type": "LoadImage", "inputs": {"image": "cat.png", "upload": "image"}},
	 "6": {"class_type": "LoadImageMask", "inputs": {"image": "mask.png", "channel": "alpha"}},
	 "9": {"class_type": "PrimitiveString", "inputs": {"value": "style.safetensors"}}}`)
	d := FindDependencies(g, nil)
	var models []string
	for _, m := range d.Models {
		models = append(models, m.Folder+"/"+m.Name)
	}
	want := "/custom.gguf checkpoints/sd15/dreamshaper_8.safetensors embeddings/EasyNegative embeddings/bad_hands.pt embeddings/sub/style loras/style.safetensors"
	if got := strings.Join(models, " "); got != want {
		t.Errorf("models:\n got %s\nwant %s", got, want)
	}
	if len(d.Embeddings) != 3 {
		t.Errorf("embeddings = %+v", d.Embeddings)
	}
	if len(d.Uploads) != 2 || d.Uploads[0].Value != "cat.png" || d.Uploads[0].Param != "image" || d.Uploads[1].Param != "mask" {
		t.Errorf("uploads = %+v", d.Uploads)
	}
	if strings.Join(d.Classes, ",") != "CLIPTextEncode,CheckpointLoaderSimple,LoadImage,LoadImageMask,LoraLoader,PrimitiveString,SomeCustomLoader" {
		t.Errorf("classes = %v", d.Classes)
	}
}

// Every model a UI fixture embeds (properties.models / top-level models) whose file a
// node of the converted graph actually uses must be a dependency in the same folder.
// Embedded entries no live node uses are explained: the node is bypassed or muted (so
// not in the graph), or the entry documents a file the widget does not select.
func TestDependenciesMatchEmbeddedModels(t *testing.T) {
	root := filepath.Join(sharedDir(t), "fixtures", "workflows")
	oi := realObjectInfo(t)
	var files []string
	for _, sub := range []string{"pairs", "ui"} {
		m, _ := filepath.Glob(filepath.Join(root, sub, "*.json"))
		files = append(files, m...)
	}
	sort.Strings(files)
	checked := 0
	for _, path := range files {
		data, _ := os.ReadFile(path)
		embedded := EmbeddedModels(data)
		if len(embedded) == 0 {
			continue
		}
		name := filepath.Base(path)
		g, _, diags := Load(name, data, oi)
		if diags.HasErrors() {
			continue // covered by TestEveryWorkflowFixtureLoads
		}
		deps := FindDependencies(g, oi)
		have := map[string]string{} // name -> folder
		for _, m := range deps.Models {
			have[m.Name] = m.Folder
		}
		used := map[string]bool{}
		for _, n := range g {
			for _, v := range n.Inputs {
				if s, ok := v.(string); ok {
					used[s] = true
				}
			}
		}
		for _, m := range embedded {
			if !used[m.Name] {
				continue // explained: bypassed/muted node, or not the selected file
			}
			checked++
			folder, ok := have[m.Name]
			if !ok {
				t.Errorf("%s: embedded model %s (%s) is used but not a dependency", name, m.Name, m.Directory)
				continue
			}
			if why, ok := embeddedFolderMismatch[name+"/"+m.Name]; ok {
				t.Logf("%s: %s: %s", name, m.Name, why)
				continue
			}
			if CanonicalFolder(m.Directory) != folder && !(folder == "" && m.Directory != "") {
				t.Errorf("%s: %s is in %q, dependency says %q", name, m.Name, m.Directory, folder)
			}
		}
	}
	if checked < 50 {
		t.Errorf("only %d embedded models checked", checked)
	}
}

// embeddedFolderMismatch: embedded metadata that contradicts the loader, on purpose.
var embeddedFolderMismatch = map[string]string{
	"edge__missing_models_from_node_properties.json/fake_model.safetensors": "a frontend test asset whose metadata says text_encoders for a CheckpointLoaderSimple value; the loader reads checkpoints",
}

func TestEmbeddedPacks(t *testing.T) {
	ui := `{"nodes": [
	  {"id": 1, "type": "KSampler", "properties": {"cnr_id": "comfy-core", "ver": "0.3.64"}},
	  {"id": 2, "type": "Seed (rgthree)", "properties": {"cnr_id": "rgthree-comfy", "ver": "1.0.0"}},
	  {"id": 3, "type": "Mystery", "properties": {"aux_id": "someone/mystery-nodes", "ver": "abc123"}}],
	  "links": [], "models": [{"name": "a.safetensors", "directory": "checkpoints", "url": "https://x/a.safetensors"}]}`
	packs := EmbeddedPacks([]byte(ui))
	if len(packs) != 2 || packs["Seed (rgthree)"].Registry != "rgthree-comfy" || packs["Mystery"].Repo != "someone/mystery-nodes" {
		t.Errorf("packs = %+v", packs)
	}
	models := EmbeddedModels([]byte(ui))
	if len(models) != 1 || models[0].Directory != "checkpoints" || models[0].NodeID != "" {
		t.Errorf("models = %+v", models)
	}
}
