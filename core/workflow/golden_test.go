package workflow

import (
	"bytes"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// goldenUI are UI fixtures whose schemas are pinned too (tracing through conversion).
var goldenUI = []string{
	"ui/sd15__default.json", "ui/sdxl__sdxl_refiner_prompt_example.json", "ui/flux__flux_dev_full_text_to_image.json",
	"ui/wan21__text_to_video_wan.json", "ui/z-image__zimage-subgraph.json", "ui/sd15__lora_multiple.json",
	"pairs/sd15__controlnet_example.ui.json", "ui/ltxv__ltxv_text_to_video.json", "ui/sd15__embedding_example.json",
}

// TestGoldenSchemas pins the friendly schema (JSON) and dependencies of every API
// fixture and some UI ones against testdata/golden (go test -update rewrites them).
func TestGoldenSchemas(t *testing.T) {
	root := filepath.Join(sharedDir(t), "fixtures", "workflows")
	oi := realObjectInfo(t)
	files, _ := filepath.Glob(filepath.Join(root, "api", "*.json"))
	for i := range files {
		files[i], _ = filepath.Rel(root, files[i])
	}
	files = append(files, goldenUI...)
	sort.Strings(files)
	for _, rel := range files {
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join(root, rel))
			if err != nil {
				t.Fatal(err)
			}
			g, _, diags := Load(rel, data, oi)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			s, err := ExtractSchema(g, oi)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := s.WriteTable(&buf); err != nil {
				t.Fatal(err)
			}
			buf.WriteString("\n")
			d := FindDependencies(g, oi)
			buf.WriteString("classes: " + strings.Join(d.Classes, ", ") + "\n")
			for _, m := range d.Models {
				buf.WriteString("model: " + m.Folder + "/" + m.Name + " (" + m.NodeID + "." + m.Input + ")\n")
			}
			for _, u := range d.Uploads {
				buf.WriteString("upload: " + u.Value + " (" + u.NodeID + "." + u.Input + ", param " + u.Param + ")\n")
			}
			name := strings.NewReplacer("/", "__").Replace(strings.TrimSuffix(rel, ".json"))
			golden(t, filepath.Join("golden", name+".schema.txt"), buf.Bytes())
		})
	}
}
