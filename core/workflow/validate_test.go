package workflow

import (
	"fmt"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestValidate(t *testing.T) {
	oi := smallOI(t)
	wfRange := hcl.Range{Filename: "main.comfy.hcl", Start: hcl.Pos{Line: 2, Column: 3}}
	paramRange := hcl.Range{Filename: "main.comfy.hcl", Start: hcl.Pos{Line: 7, Column: 5}}
	base := string(testdata(t, "sd15_api.json"))
	cases := []struct {
		name    string
		graph   string
		edit    func(g Graph)
		params  []Param
		summary string
		detail  string
		onParam bool
	}{
		{name: "clean", graph: base},
		{name: "unknown class with pack hint", graph: base, edit: func(g Graph) { g["9"].ClassType = "VHS_VideoCombine" },
			summary: "Unknown node class", detail: `registry id "comfyui-videohelpersuite"`},
		{name: "unknown class with suggestion", graph: base, edit: func(g Graph) { g["5"].ClassType = "EmptyLatentImag" },
			summary: "Unknown node class", detail: `Did you mean "EmptyLatentImage"?`},
		{name: "unknown core class", graph: base, edit: func(g Graph) { g["9"].ClassType = "SaveAnimatedWEBP" },
			summary: "Unknown node class", detail: "core ComfyUI node"},
		{name: "missing required input", graph: base, edit: func(g Graph) { delete(g["3"].Inputs, "steps") },
			summary: "Required input missing", detail: `needs input "steps" (INT)`},
		{name: "link to missing node", graph: base, edit: func(g Graph) { g["8"].Inputs["vae"] = Link{"99", 0} },
			summary: "Link to a missing node", detail: `wired to node "99"`},
		{name: "link to missing output", graph: base, edit: func(g Graph) { g["8"].Inputs["vae"] = Link{"4", 5} },
			summary: "Link to a missing output", detail: "has only 3 output(s)"},
		{name: "link type mismatch", graph: base, edit: func(g Graph) { g["8"].Inputs["vae"] = Link{"4", 1} },
			summary: "Link type mismatch", detail: "takes VAE, but it is wired to output 1 of node \"4\" (CheckpointLoaderSimple), which gives CLIP"},
		{name: "value not in list, on the param", graph: base, params: []Param{{Name: "sampler_name", Value: "eulr", Range: paramRange}},
			edit: func(g Graph) { g["3"].Inputs["sampler_name"] = "eulr" }, summary: "Value not in list", detail: `"eulr" not in`, onParam: true},
		{name: "out of range", graph: base, edit: func(g Graph) { g["5"].Inputs["width"] = 8 },
			summary: "Value smaller than the minimum", detail: "minimum 16"},
		{name: "no output node", graph: base, edit: func(g Graph) { delete(g, "9") },
			summary: "Workflow has no output node"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := mustGraph(t, c.graph)
			if c.edit != nil {
				c.edit(g)
			}
			for k, v := range g["5"].Inputs { // normalize ints set by edits
				g["5"].Inputs[k] = mustNormalize(v)
			}
			diags := Validate(g, oi, ValidateOptions{Params: c.params, Workflow: wfRange})
			if c.summary == "" {
				if diags.HasErrors() {
					t.Fatal(diags.Error())
				}
				return
			}
			if len(diags) != 1 {
				t.Fatalf("diags = %v", diags)
			}
			d := diags[0]
			if d.Summary != c.summary || !strings.Contains(d.Detail, c.detail) {
				t.Errorf("got %q: %q", d.Summary, d.Detail)
			}
			wantLine := 2
			if c.onParam {
				wantLine = 7
			}
			if d.Subject == nil || d.Subject.Start.Line != wantLine {
				t.Errorf("subject = %v, want line %d", d.Subject, wantLine)
			}
		})
	}
}

func TestValidateRealCatalogue(t *testing.T) {
	oi := realObjectInfo(t)
	g := mustGraph(t, string(testdata(t, "sd15_api.json")))
	diags := Validate(g, oi, ValidateOptions{})
	if len(diags) != 1 || diags[0].Summary != "Value not in list" || !strings.Contains(diags[0].Detail, "empty on this server") {
		t.Fatalf("fixture server has no checkpoints, want one value_not_in_list: %v", diags)
	}
	pending := func(s string) bool { return s == "v1-5-pruned-emaonly.safetensors" }
	if diags := Validate(g, oi, ValidateOptions{Options: Options{Pending: pending}}); diags.HasErrors() {
		t.Fatal(diags.Error())
	}
}

// bigGraph is n nodes: copies of the SD1.5 graph with prefixed ids.
func bigGraph(tb testing.TB, n int) Graph {
	base := mustGraph(tb, string(testdata(tb, "sd15_api.json")))
	g := Graph{}
	for c := 0; len(g) < n; c++ {
		for id, node := range base {
			if len(g) >= n {
				break
			}
			cp := node.Clone()
			for k, v := range cp.Inputs {
				if l, ok := v.(Link); ok {
					cp.Inputs[k] = Link{NodeID: fmt.Sprintf("%d:%s", c, l.NodeID), Output: l.Output}
				}
			}
			g[fmt.Sprintf("%d:%s", c, id)] = cp
		}
	}
	return g
}

// BenchmarkSchemaValidate1000: schema extraction plus validation of a 1,000-node graph
// against the real ComfyUI 0.3.64 /object_info.
func BenchmarkSchemaValidate1000(b *testing.B) {
	oi := realObjectInfo(b)
	g := bigGraph(b, 1000)
	pending := func(string) bool { return true }
	b.ResetTimer()
	for b.Loop() {
		if _, err := ExtractSchema(g, oi); err != nil {
			b.Fatal(err)
		}
		Validate(g, oi, ValidateOptions{Options: Options{Pending: pending}})
	}
}
