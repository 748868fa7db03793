package workflow

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestLoadAPI(t *testing.T) {
	g, f, diags := Load("sd15_api.json", testdata(t, "sd15_api.json"), nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if f != FormatAPI || len(g) != 7 {
		t.Fatalf("format %v, %d nodes", f, len(g))
	}
	if l, ok := g["3"].Inputs["model"].(Link); !ok || l != (Link{"4", 0}) {
		t.Errorf("model input = %#v", g["3"].Inputs["model"])
	}
	if v := g["3"].Inputs["cfg"]; v != json.Number("8") {
		t.Errorf("cfg = %#v, want canonical 8", v)
	}
	if g["6"].Title() != "Negative (mislabelled)" {
		t.Errorf("title = %q", g["6"].Title())
	}
}

func TestLoadErrors(t *testing.T) {
	cases := []struct {
		name, src string
		want      []string
	}{
		{"syntax", "{\n  \"3\": {\"class_type\": \"KSampler\",,}\n}", []string{"Malformed workflow JSON", "bad.json:2:34"}},
		{"truncated", "{\"3\": {", []string{"Malformed workflow JSON", "unexpected end"}},
		{"empty", "", []string{"the file is empty"}},
		{"trailing", "{} {}", []string{"after the top-level value"}},
		{"array", "[1,2]", []string{"Not a ComfyUI workflow", "JSON array"}},
		{"neither", `{"foo": {"bar": 1}}`, []string{"neither API format", `"foo"`}},
		{"no class_type", `{"1": {"class_type": "A", "inputs": {}}, "2": {"inputs": {}}}`, []string{"neither API format"}},
		{"ui without catalogue", `{"nodes": [], "links": []}`, []string{"needs a node catalogue", "-object-info"}},
		{"bad inputs", `{"1": {"class_type": "A", "inputs": 3}}`, []string{`node "1"`, "not an object"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, diags := Load("bad.json", []byte(c.src), nil)
			if !diags.HasErrors() {
				t.Fatal("no error")
			}
			msg := diags[0].Summary + ": " + diags[0].Detail
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("%q lacks %q", msg, w)
				}
			}
			if diags[0].Subject == nil || diags[0].Subject.Filename != "bad.json" {
				t.Errorf("subject = %v", diags[0].Subject)
			}
		})
	}
}

func TestLoadSkipsComments(t *testing.T) {
	g := mustGraph(t, `{"_comment": "made by hand", "1": {"class_type": "A", "inputs": {"x": [1, 2, 3]}}}`)
	if len(g) != 1 {
		t.Fatalf("%d nodes", len(g))
	}
	if _, ok := g["1"].Inputs["x"].([]any); !ok {
		t.Errorf("3-list should stay a literal: %#v", g["1"].Inputs["x"])
	}
}

func TestFromValue(t *testing.T) {
	g, err := FromValue(map[string]any{
		"1": map[string]any{"class_type": "KSampler", "inputs": map[string]any{
			"seed": int64(5), "cfg": 7.5, "model": []any{"2", 0}, "steps": float64(20)}},
		"2": map[string]any{"class_type": "CheckpointLoaderSimple", "inputs": map[string]any{"ckpt_name": "x"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if g["1"].Inputs["model"] != (Link{"2", 0}) || g["1"].Inputs["steps"] != json.Number("20") || g["1"].Inputs["cfg"] != json.Number("7.5") {
		t.Errorf("inputs = %#v", g["1"].Inputs)
	}
	if _, err := FromValue([]any{}); err == nil {
		t.Error("array accepted")
	}
	if _, err := FromValue(map[string]any{"1": map[string]any{"inputs": map[string]any{}}}); err == nil || !strings.Contains(err.Error(), "class_type") {
		t.Errorf("err = %v", err)
	}
}

func TestCanonicalJSON(t *testing.T) {
	a := mustGraph(t, `{"2": {"class_type": "B", "inputs": {"z": 1.0, "a": "<x>", "l": ["1", 0]}, "_meta": {"title": "t"}}, "1": {"class_type": "A", "inputs": {}}}`)
	b := mustGraph(t, `{"1": {"inputs": {}, "class_type": "A"}, "2": {"_meta": {"title": "other"}, "inputs": {"l": ["1", 0], "a": "<x>", "z": 1}, "class_type": "B"}}`)
	want := `{"1":{"class_type":"A","inputs":{}},"2":{"_meta":{"title":"t"},"class_type":"B","inputs":{"a":"<x>","l":["1",0],"z":1}}}`
	if got := string(a.CanonicalJSON()); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if a.Hash() != b.Hash() {
		t.Error("hash depends on key order, number spelling or titles")
	}
	for in, want := range map[string]string{"1.8446744073709551615e+19": "18446744073709551615", "8.0": "8", "-0": "0",
		"7.21897303308196e+14": "721897303308196", "0.1": "0.1", "1e-7": "1e-07", "2.5e3": "2500"} {
		if got, err := canonicalNumber(in); err != nil || got != json.Number(want) {
			t.Errorf("canonicalNumber(%s) = %v %v, want %s", in, got, err, want)
		}
	}
	big := mustGraph(t, `{"1": {"class_type": "A", "inputs": {"seed": 18446744073709551615}}}`)
	if !strings.Contains(string(big.CanonicalJSON()), "18446744073709551615") {
		t.Errorf("big seed lost precision: %s", big.CanonicalJSON())
	}
}

func TestRealAPIFixturesLoad(t *testing.T) {
	shared := sharedDir(t)
	_ = shared
	for _, name := range []string{"api/sdxl__salad_txt2img-with-refiner.json", "api/wan21__hermes_wan_video_t2v.json", "api/flux__salad_txt2img.json"} {
		g, f, diags := Load(name, fixture(t, "workflows/"+name), nil)
		if diags.HasErrors() || f != FormatAPI || len(g) == 0 {
			t.Errorf("%s: %v %v %d", name, diags, f, len(g))
		}
	}
}

func TestLoadEnvelopes(t *testing.T) {
	api := `{"client_id": "c1", "prompt": {"1": {"class_type": "A", "inputs": {}}}}`
	g, f, diags := Load("body.json", []byte(api), nil)
	if diags.HasErrors() || f != FormatAPI || len(g) != 1 || len(diags) != 1 || !strings.Contains(diags[0].Detail, `"prompt"`) {
		t.Fatalf("%v %v %v", g, f, diags)
	}
	ui := `{"workflow": {"nodes": [{"id": 1, "type": "EmptyLatentImage", "widgets_values": [64, 64, 1]}], "links": []}}`
	g, f, diags = Load("meta.json", []byte(ui), smallOI(t))
	if diags.HasErrors() || f != FormatUI || len(g) != 1 {
		t.Fatalf("%v %v %v", g, f, diags)
	}
}
