package workflow

import (
	"encoding/json"
	"testing"
)

func TestParseObjectInfoShapes(t *testing.T) {
	oi, err := ParseObjectInfo(testdata(t, "object_info_small.json"))
	if err != nil {
		t.Fatal(err)
	}
	ks := oi.Class("KSampler")
	var order []string
	for _, in := range ks.Inputs {
		order = append(order, in.Name)
	}
	want := "model seed steps cfg sampler_name scheduler positive negative latent_image denoise"
	if got := join(order); got != want {
		t.Errorf("order = %s", got)
	}
	if in := ks.Input("sampler_name"); in.Type != "COMBO" || len(in.Options) != 2 {
		t.Errorf("legacy combo = %+v", in)
	}
	if in := ks.Input("scheduler"); in.Type != "COMBO" || len(in.Options) != 2 || in.Options[1] != "karras" {
		t.Errorf("COMBO-typed combo = %+v", in)
	}
	if in := ks.Input("seed"); !in.ControlAfterGenerate || in.Max != "18446744073709551615" || in.Default != json.Number("0") {
		t.Errorf("seed = %+v", in)
	}
	if in := ks.Input("cfg"); in.Min != "0" || in.Default != json.Number("8") || !in.IsWidget() {
		t.Errorf("cfg = %+v", in)
	}
	if ks.Input("model").IsWidget() {
		t.Error("MODEL is not a widget")
	}
	z := oi.Class("Zed")
	if z.Inputs[0].Name != "b" || z.Inputs[2].Name != "c" || z.Inputs[2].Required() {
		t.Errorf("JSON order not kept: %+v", z.Inputs)
	}
	if _, err := ParseObjectInfo([]byte(`{"X": {"input": {"required": {"a": 5}}}}`)); err == nil {
		t.Error("bad spec accepted")
	}
}

func TestParseRealObjectInfo(t *testing.T) {
	oi := realObjectInfo(t)
	if len(oi.Classes) < 300 {
		t.Fatalf("%d classes", len(oi.Classes))
	}
	if in := oi.Class("LatentConcat").Input("dim"); in == nil || in.Type != "COMBO" || len(in.Options) != 6 {
		t.Errorf("LatentConcat.dim = %+v", in)
	}
	if in := oi.Class("LoadImage").Input("image"); !in.ImageUpload {
		t.Errorf("LoadImage.image = %+v", in)
	}
	if out := oi.Class("ControlNetApplyAdvanced").Outputs; len(out) != 2 || out[1].Name != "negative" {
		t.Errorf("outputs = %+v", out)
	}
}

func join(s []string) string {
	out := ""
	for i, v := range s {
		if i > 0 {
			out += " "
		}
		out += v
	}
	return out
}
