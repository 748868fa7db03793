package workflow

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func TestInject(t *testing.T) {
	oi, err := ParseObjectInfo(testdata(t, "object_info_small.json"))
	if err != nil {
		t.Fatal(err)
	}
	g := mustGraph(t, string(testdata(t, "sd15_api.json")))
	rng := hcl.Range{Filename: "main.comfy.hcl", Start: hcl.Pos{Line: 3, Column: 5}}
	out, diags := Inject(g, []Param{
		{Name: "prompt", Value: "a cat", Range: rng},
		{Name: "seed", Value: int64(7)},
		{Name: "3.cfg", Value: 6.5},
		{Name: "ckpt_name", Value: "sd_xl_base_1.0.safetensors"},
		{Name: "scheduler", Value: "karras"},
		{Name: "8.samples", Value: Link{NodeID: "3", Output: 0}},
		{Name: "9.filename_prefix", Value: "out/hero"},
	}, oi)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if out["6"].Inputs["text"] != "a cat" || out["3"].Inputs["seed"] != json.Number("7") || out["3"].Inputs["cfg"] != json.Number("6.5") {
		t.Errorf("not injected: %v / %v", out["6"].Inputs, out["3"].Inputs)
	}
	custom := mustGraph(t, `{"1": {"class_type": "CustomListNode", "inputs": {"points": {"__value__": [1]}}}}`)
	out2, diags := Inject(custom, []Param{{Name: "points", Value: []any{1, 2}}}, oi)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if _, ok := out2["1"].Inputs["points"].(map[string]any)["__value__"]; !ok {
		t.Errorf("list not wrapped: %#v", out2["1"].Inputs["points"])
	}
	if g["6"].Inputs["text"] != "a lighthouse at dusk" {
		t.Error("Inject modified its input graph")
	}
}

func TestInjectRefusals(t *testing.T) {
	oi, err := ParseObjectInfo(testdata(t, "object_info_small.json"))
	if err != nil {
		t.Fatal(err)
	}
	base := string(testdata(t, "sd15_api.json"))
	twoSamplers := `{
	 "1": {"class_type": "CLIPTextEncode", "inputs": {"text": ["5", 0]}},
	 "3": {"class_type": "KSampler", "inputs": {"seed": 1, "positive": ["1", 0]}},
	 "4": {"class_type": "KSampler", "inputs": {"seed": 2, "positive": ["1", 0]}},
	 "5": {"class_type": "PrimitiveString", "inputs": {"value": "x"}, "_meta": {"title": "Prompt text"}}}`
	cases := []struct {
		name, graph string
		param       Param
		summary     string
		want        []string
	}{
		{"unknown with suggestion", base, Param{Name: "promt", Value: "x"}, "Unknown workflow parameter", []string{`Did you mean "prompt"`, "negative_prompt", "ckpt_name"}},
		{"unknown raw node", base, Param{Name: "33.text", Value: "x"}, "Unknown workflow node", []string{`no node "33"`, `Did you mean "3.text"`}},
		{"unknown raw input", base, Param{Name: "3.cgf", Value: 1}, "Unknown workflow input", []string{`no input "cgf"`, `"3.cfg"`}},
		{"link refused", base, Param{Name: "3.model", Value: "x"}, "Parameter would cut a link", []string{`node "3" (KSampler)`, `node "4" (CheckpointLoaderSimple)`}},
		{"link refused, names the primitive's param", twoSamplers, Param{Name: "1.text", Value: "y"}, "Parameter would cut a link", []string{`node "5" (PrimitiveString "Prompt text")`, `Set "prompt" instead`}},
		{"ambiguous", twoSamplers, Param{Name: "seed", Value: 3}, "Ambiguous workflow parameter", []string{`"seed_3", "seed_4"`}},
		{"not in list", base, Param{Name: "sampler_name", Value: "eulr"}, "Value not in list", []string{`"eulr" not in ["euler", "dpmpp_2m"]`}},
		{"not in COMBO-shape list", base, Param{Name: "scheduler", Value: "simple"}, "Value not in list", []string{`"simple" not in ["normal", "karras"]`}},
		{"too small", base, Param{Name: "steps", Value: 0}, "Value smaller than the minimum", []string{"minimum 1"}},
		{"too big", base, Param{Name: "denoise", Value: 1.5}, "Value bigger than the maximum", []string{"maximum 1"}},
		{"INT needs whole", base, Param{Name: "steps", Value: 2.5}, "Invalid value type", []string{"whole number"}},
		{"FLOAT needs number", base, Param{Name: "cfg", Value: "high"}, "Invalid value type", []string{"needs a number"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.param.Range = hcl.Range{Filename: "x.comfy.hcl", Start: hcl.Pos{Line: 9, Column: 3}}
			_, diags := Inject(mustGraph(t, c.graph), []Param{c.param}, oi)
			if len(diags) != 1 {
				t.Fatalf("diags = %v", diags)
			}
			d := diags[0]
			if d.Summary != c.summary {
				t.Errorf("summary = %q, want %q", d.Summary, c.summary)
			}
			for _, w := range c.want {
				if !strings.Contains(d.Detail, w) {
					t.Errorf("detail %q lacks %q", d.Detail, w)
				}
			}
			if d.Subject == nil || d.Subject.Start.Line != 9 {
				t.Errorf("subject = %v", d.Subject)
			}
		})
	}
}

func TestInjectPendingAndDuplicates(t *testing.T) {
	oi, _ := ParseObjectInfo(testdata(t, "object_info_small.json"))
	g := mustGraph(t, string(testdata(t, "sd15_api.json")))
	_, diags := InjectWith(g, []Param{{Name: "ckpt_name", Value: "new.safetensors"}}, oi,
		Options{Pending: func(v string) bool { return v == "new.safetensors" }})
	if diags.HasErrors() {
		t.Errorf("pending model refused: %v", diags)
	}
	_, diags = Inject(g, []Param{{Name: "seed", Value: 1}, {Name: "3.seed", Value: 2}}, oi)
	if len(diags) != 1 || diags[0].Summary != "Parameter set twice" {
		t.Errorf("diags = %v", diags)
	}
}

func TestComboWithNumbers(t *testing.T) {
	def := &InputDef{Name: "frames", Type: "COMBO", Options: []any{json.Number("8"), json.Number("16"), "auto"}}
	for v, ok := range map[any]bool{16: true, 16.0: true, "16": false, "auto": true, 12: false} {
		if got := checkValue(def, mustNormalize(v), nil) == nil; got != ok {
			t.Errorf("%v: accepted=%v, want %v", v, got, ok)
		}
	}
	b, err := json.Marshal(Graph{"1": {ClassType: "A", Inputs: map[string]any{"x": Link{"2", 1}}}})
	if err != nil || string(b) != `{"1":{"class_type":"A","inputs":{"x":["2",1]}}}` {
		t.Errorf("MarshalJSON = %s %v", b, err)
	}
}
