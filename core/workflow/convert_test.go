package workflow

import (
	"strings"
	"testing"
)

func smallOI(t testing.TB) *ObjectInfo {
	t.Helper()
	oi, err := ParseObjectInfo(testdata(t, "object_info_small.json"))
	if err != nil {
		t.Fatal(err)
	}
	return oi
}

// The hand-made UI file has a reroute chain behind a bypassed LoraLoader, a
// PrimitiveNode fanned out to a root node and into a subgraph, a muted node, a note and
// a subgraph with a promoted widget and an inner reroute.
func TestConvertHandmadeUI(t *testing.T) {
	got, f, diags := Load("ui_handmade.json", testdata(t, "ui_handmade.json"), smallOI(t))
	if diags.HasErrors() || f != FormatUI {
		t.Fatalf("%v %v", f, diags)
	}
	want := mustGraph(t, string(testdata(t, "ui_handmade.api.json")))
	if d := diffGraphs(got, want); len(d) > 0 {
		t.Errorf("differences:\n  %s", strings.Join(d, "\n  "))
	}
	// Tracing after conversion: both samplers (root and subgraph) share the encoders, so
	// prompt names stay unsuffixed; their seeds clash and are both suffixed.
	names := map[string]string{}
	s, err := ExtractSchema(got, smallOI(t))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range s.Params {
		names[p.Name] = p.NodeID + "." + p.Input
	}
	for k, v := range map[string]string{"prompt": "6.text", "negative_prompt": "7.text", "seed_3": "3.seed", "seed_50_1": "50:1.seed", "ckpt_name": "4.ckpt_name"} {
		if names[k] != v {
			t.Errorf("%s = %q, want %q (all %v)", k, names[k], v, sortedKeys(names))
		}
	}
	if got["6"].Title() != "Positive" || got["7"].Title() != "CLIP Text Encode (Prompt)" {
		t.Errorf("titles: %q %q", got["6"].Title(), got["7"].Title())
	}
}

func TestConvertUICases(t *testing.T) {
	oi := smallOI(t)
	cases := []struct {
		name string
		ui   string
		want string // API JSON, or "error: substring"
	}{
		{
			name: "v1 object links and string ids",
			ui: `{"version": 1, "state": {}, "nodes": [
			  {"id": "a", "type": "EmptyLatentImage", "mode": 0, "widgets_values": [64, 64, 2]},
			  {"id": "b", "type": "VAEDecode", "mode": 0, "inputs": [{"name": "samples", "type": "LATENT", "link": 1}]}],
			  "links": [{"id": 1, "origin_id": "a", "origin_slot": 0, "target_id": "b", "target_slot": 0, "type": "LATENT"}]}`,
			want: `{"a": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 2}},
			        "b": {"class_type": "VAEDecode", "inputs": {"samples": ["a", 0]}}}`,
		},
		{
			name: "widgets as an object, old boolean seed control",
			ui: `{"version": 0.4, "nodes": [
			  {"id": 1, "type": "KSampler", "widgets_values": [5, true, 30, 6.5, "dpmpp_2m", "karras", 0.7]},
			  {"id": 2, "type": "EmptyLatentImage", "widgets_values": {"width": 640, "height": 480, "batch_size": 1, "bogus": 1}}], "links": []}`,
			want: `{"1": {"class_type": "KSampler", "inputs": {"seed": 5, "steps": 30, "cfg": 6.5, "sampler_name": "dpmpp_2m", "scheduler": "karras", "denoise": 0.7}},
			        "2": {"class_type": "EmptyLatentImage", "inputs": {"width": 640, "height": 480, "batch_size": 1}}}`,
		},
		{
			name: "LoadImage upload button value is skipped",
			ui:   `{"nodes": [{"id": 1, "type": "LoadImage", "widgets_values": ["cat.png", "image"]}], "links": []}`,
			want: `{"1": {"class_type": "LoadImage", "inputs": {"image": "cat.png"}}}`,
		},
		{
			name: "bypassed node with no matching input leaves the widget input unset",
			ui: `{"nodes": [
			  {"id": 1, "type": "UpscaleModelLoader", "mode": 4, "widgets_values": ["x.pth"], "outputs": [{"name": "UPSCALE_MODEL", "type": "UPSCALE_MODEL"}]},
			  {"id": 2, "type": "ImageUpscaleWithModel", "inputs": [{"name": "upscale_model", "type": "UPSCALE_MODEL", "link": 1}]}],
			  "links": [[1, 1, 0, 2, 0, "UPSCALE_MODEL"]]}`,
			want: `{"2": {"class_type": "ImageUpscaleWithModel", "inputs": {}}}`,
		},
		{
			name: "KJNodes Set/Get resolve to the source",
			ui: `{"nodes": [
			  {"id": 1, "type": "EmptyLatentImage", "widgets_values": [64, 64, 1]},
			  {"id": 2, "type": "SetNode", "widgets_values": ["lat"], "inputs": [{"name": "LATENT", "type": "LATENT", "link": 1}]},
			  {"id": 3, "type": "GetNode", "widgets_values": ["lat"]},
			  {"id": 4, "type": "VAEDecode", "inputs": [{"name": "samples", "type": "LATENT", "link": 2}]}],
			  "links": [[1, 1, 0, 2, 0, "LATENT"], [2, 3, 0, 4, 0, "LATENT"]]}`,
			want: `{"1": {"class_type": "EmptyLatentImage", "inputs": {"width": 64, "height": 64, "batch_size": 1}},
			        "4": {"class_type": "VAEDecode", "inputs": {"samples": ["1", 0]}}}`,
		},
		{
			name: "legacy group node definition missing",
			ui:   `{"nodes": [{"id": 1, "type": "workflow>gone"}], "links": []}`,
			want: "error: definition is missing",
		},
		{
			name: "only notes",
			ui:   `{"nodes": [{"id": 1, "type": "Note", "widgets_values": ["hi"]}], "links": []}`,
			want: "error: no executable nodes",
		},
		{
			name: "reroute loop terminates",
			ui: `{"nodes": [
			  {"id": 1, "type": "Reroute", "inputs": [{"name": "", "type": "*", "link": 2}]},
			  {"id": 2, "type": "Reroute", "inputs": [{"name": "", "type": "*", "link": 1}]},
			  {"id": 3, "type": "VAEDecode", "inputs": [{"name": "samples", "type": "LATENT", "link": 3}]}],
			  "links": [[1, 1, 0, 2, 0, "*"], [2, 2, 0, 1, 0, "*"], [3, 1, 0, 3, 0, "LATENT"]]}`,
			want: `{"3": {"class_type": "VAEDecode", "inputs": {}}}`,
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _, diags := Load("case.json", []byte(c.ui), oi)
			if msg, ok := strings.CutPrefix(c.want, "error: "); ok {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), msg) {
					t.Fatalf("want error %q, got %v", msg, diags)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			if d := diffGraphs(got, mustGraph(t, c.want)); len(d) > 0 {
				t.Errorf("differences:\n  %s", strings.Join(d, "\n  "))
			}
		})
	}
}

func TestConvertUIRecursiveSubgraph(t *testing.T) {
	ui := `{"nodes": [{"id": 1, "type": "S", "outputs": [{"name": "o", "type": "LATENT"}]},
	  {"id": 2, "type": "VAEDecode", "inputs": [{"name": "samples", "type": "LATENT", "link": 1}]}],
	  "links": [[1, 1, 0, 2, 0, "LATENT"]],
	  "definitions": {"subgraphs": [{"id": "S", "inputs": [], "outputs": [{"name": "o", "type": "LATENT", "linkIds": [5]}],
	    "nodes": [{"id": 7, "type": "S", "outputs": [{"name": "o", "type": "LATENT"}]}, {"id": 8, "type": "S"}],
	    "links": [{"id": 5, "origin_id": 7, "origin_slot": 0, "target_id": -20, "target_slot": 0, "type": "LATENT"}]}]}}`
	_, _, diags := Load("rec.json", []byte(ui), smallOI(t))
	if !diags.HasErrors() || !strings.Contains(diags.Error(), "contains itself") {
		t.Fatalf("diags = %v", diags)
	}
}

func TestConvertWarnsOnDynamicPrompts(t *testing.T) {
	ui := `{"nodes": [{"id": 1, "type": "CLIPTextEncode", "widgets_values": ["a {red|blue} car"]}], "links": []}`
	g, _, diags := Load("dyn.json", []byte(ui), smallOI(t))
	if diags.HasErrors() || len(diags) != 1 || diags[0].Summary != "Dynamic prompt sent as written" {
		t.Fatalf("diags = %v", diags)
	}
	if g["1"].Inputs["text"] != "a {red|blue} car" {
		t.Errorf("text = %v", g["1"].Inputs["text"])
	}
}
