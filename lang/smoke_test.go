package lang

import (
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestLoadDesignExample(t *testing.T) {
	t.Setenv("COMFY_CLOUD_API_KEY", "sk-test")
	cfg, diags := loadFile(t, "testdata/valid/design.comfy.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if len(cfg.Providers) != 3 || cfg.Providers["local.gpu2"] == nil {
		t.Fatalf("providers: %v", cfg.Providers)
	}
	vals, diags := cfg.ResolveVariables(VariableInputs{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if !vals["cloud_key"].HasMark(Sensitive) {
		t.Error("cloud_key not marked")
	}
	scope := &Scope{BaseDir: cfg.Dir, Variables: vals, Models: map[string]cty.Value{
		"sdxl_base": cty.ObjectVal(map[string]cty.Value{"file": cty.StringVal("x.safetensors")}),
	}}
	loc, diags := scope.Eval(cfg.Locals["prefix"].Expr, cty.String)
	if diags.HasErrors() || loc.AsString() != "portrait of a lighthouse at dusk" {
		t.Fatal(loc, diags)
	}
	refs, diags := References(cfg.Renders["hero"].Params)
	if diags.HasErrors() || len(refs) != 2 || refs[1].Addr() != "model.sdxl_base" || refs[1].Attr != "file" {
		t.Fatalf("%+v %v", refs, diags)
	}
	pc, diags := DecodeProviderConfig(cfg.Providers["cloud"].Config, []AttributeSchema{
		{Name: "api_key", Type: cty.String, Sensitive: true},
		{Name: "concurrency", Type: cty.Number},
	}, scope)
	if diags.HasErrors() || !pc["api_key"].HasMark(Sensitive) {
		t.Fatal(pc, diags)
	}
	_, diags = DecodeProviderConfig(cfg.Providers["local"].Config, []AttributeSchema{{Name: "url", Type: cty.String}, {Name: "workspaces", Type: cty.String}}, scope)
	if len(diags) != 1 || diags[0].Summary != "Unsupported argument" {
		t.Fatal(diags)
	}
	t.Log(diags[0].Detail)
}

func TestValidateDesignExample(t *testing.T) {
	cfg, diags := loadFile(t, "testdata/valid/design.comfy.hcl")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if diags := cfg.Validate(); len(diags) > 0 {
		t.Fatal(diags)
	}
}
