package workflow

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// reimport parses ImportHCL output and plans it the way core does: workflow via
// FromValue, params via Inject.
func reimport(t *testing.T, src []byte, cat *ObjectInfo) Graph {
	t.Helper()
	f, diags := hclsyntax.ParseConfig(src, "import.comfy.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, src)
	}
	content, diags := f.Body.Content(&hcl.BodySchema{Blocks: []hcl.BlockHeaderSchema{{Type: "render", LabelNames: []string{"name"}}}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	attrs, diags := content.Blocks[0].Body.JustAttributes()
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	wv, diags := attrs["workflow"].Expr.Value(nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	gv, err := GoValue(wv)
	if err != nil {
		t.Fatal(err)
	}
	g, err := FromValue(gv)
	if err != nil {
		t.Fatal(err)
	}
	var params []Param
	if a, ok := attrs["params"]; ok {
		pv, diags := a.Expr.Value(nil)
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		for it := pv.ElementIterator(); it.Next(); {
			k, v := it.Element()
			val, err := GoValue(v)
			if err != nil {
				t.Fatal(err)
			}
			params = append(params, Param{Name: k.AsString(), Value: val})
		}
	}
	out, diags := Inject(g, params, cat)
	if diags.HasErrors() {
		t.Fatalf("%v", diags)
	}
	return out
}

func TestImportRoundTrip(t *testing.T) {
	g := mustGraph(t, string(testdata(t, "sd15_api.json")))
	s, _ := ExtractSchema(g, nil)
	src := ImportHCL(g, s, "sd15")
	golden(t, "golden/import_sd15.comfy.hcl", src)
	if got := reimport(t, src, nil); got.Hash() != g.Hash() {
		t.Errorf("import then plan changed the graph:\n%s\n%s", got.CanonicalJSON(), g.CanonicalJSON())
	}
}

// Every workflow fixture survives import then plan unchanged.
func TestImportRoundTripFixtures(t *testing.T) {
	root := filepath.Join(sharedDir(t), "fixtures", "workflows")
	oi := realObjectInfo(t)
	var files []string
	for _, sub := range []string{"api", "pairs", "ui"} {
		m, _ := filepath.Glob(filepath.Join(root, sub, "*.json"))
		files = append(files, m...)
	}
	sort.Strings(files)
	for _, path := range files {
		data, _ := os.ReadFile(path)
		g, _, diags := Load(path, data, oi)
		if diags.HasErrors() {
			continue
		}
		s, err := ExtractSchema(g, oi)
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		got := reimport(t, ImportHCL(g, s, RenderName(path)), nil)
		if got.Hash() != g.Hash() {
			t.Errorf("%s: import then plan changed the graph", filepath.Base(path))
		}
	}
}

func TestRenderName(t *testing.T) {
	for in, want := range map[string]string{"a/My Flux-dev.api.json": "my_flux_dev", "2pass.json": "r_2pass", "x__y.json": "x_y"} {
		if got := RenderName(in); got != want {
			t.Errorf("%s: %s, want %s", in, got, want)
		}
	}
}
