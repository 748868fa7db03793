package main

import (
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core/workflow"
)

// workflowExamples are the examples of issue 4 §9 (examples/quickstart is tested apart).
var workflowExamples = []string{"sd15_txt2img", "sdxl_txt2img", "flux_dev_txt2img", "sdxl_img2img",
	"sdxl_inpaint", "upscale_4x", "animatediff_video", "wan_video_t2v"}

// Each example plans cleanly against comfysim with its model files in place (preflight
// only warns: the simulator has no GPU and the examples state real VRAM needs). An example
// whose node classes the simulator does not have yet is skipped, naming them, so the
// test turns itself on as the simulator's catalogue grows.
func TestWorkflowExamplesPlanAgainstSim(t *testing.T) {
	for _, name := range workflowExamples {
		t.Run(name, func(t *testing.T) {
			dir := copyExample(t, name)
			wfs, _ := filepath.Glob(filepath.Join(dir, "workflows", "*.json"))
			if len(wfs) != 1 {
				t.Fatalf("workflows: %v", wfs)
			}
			data, _ := os.ReadFile(wfs[0])
			g, _, diags := workflow.Load(wfs[0], data, nil)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			// Custom node classes (AnimateDiff's loader) come from their object_info
			// entries, as a server with the pack installed would list them.
			extra, err := os.ReadFile(filepath.Join("..", "..", "core", "workflow", "testdata", "examples_object_info.json"))
			if err != nil {
				t.Fatal(err)
			}
			catalogue, err := workflow.ParseObjectInfo(extra)
			if err != nil {
				t.Fatal(err)
			}
			models := t.TempDir()
			deps := workflow.FindDependencies(g, catalogue)
			for _, m := range deps.Models {
				p := filepath.Join(models, m.Folder, filepath.FromSlash(m.Name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				os.WriteFile(p, []byte("placeholder"), 0o644)
			}
			// ComfyUI-Manager lets the plan install the examples' node packs.
			srv, err := comfysim.New(comfysim.Options{ModelsDir: models, ExtraClasses: extra, Manager: "both"})
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Start("127.0.0.1:0"); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { srv.Close() })
			if missing := simMissing(t, srv.URL(), deps.Classes); len(missing) > 0 {
				t.Fatalf("comfysim has no %s", strings.Join(missing, ", "))
			}
			p := run(t, dir, []string{"COMFYHCL_VAR_server_url=" + srv.URL()}, "plan", "-preflight=warn")
			if p.code != 0 || !strings.Contains(p.stdout, "render.") {
				t.Fatalf("plan: exit %d\n%s\n%s", p.code, p.stdout, p.stderr)
			}
		})
	}
}

func simMissing(t *testing.T, url string, classes []string) []string {
	resp, err := http.Get(url + "/object_info")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var have map[string]json.RawMessage
	if err := json.Unmarshal(body, &have); err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, c := range classes {
		if _, ok := have[c]; !ok {
			missing = append(missing, c)
		}
	}
	sort.Strings(missing)
	return missing
}
