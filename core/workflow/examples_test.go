package workflow

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// exampleExpectations: problems an example is expected to have against plain ComfyUI
// 0.3.64 (classes from custom packs its config installs).
var exampleExpectations = map[string]string{
	"animatediff_video": "ADE_AnimateDiffLoaderGen1", // AnimateDiff-Evolved, declared with a node block
}

func moduleRoot(t *testing.T) string {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found")
		}
		dir = parent
	}
}

// TestExamples: each example's workflow has a golden schema, validates against the
// real object_info (its model files and uploads counted as pending), and every params
// and uploads key in its main.comfy.hcl names a schema parameter.
func TestExamples(t *testing.T) {
	oi := realObjectInfo(t)
	examplesOI, err := ParseObjectInfo(testdata(t, "examples_object_info.json"))
	if err != nil {
		t.Fatal(err)
	}
	dirs, _ := filepath.Glob(filepath.Join(moduleRoot(t), "examples", "*", "workflows", "*.json"))
	if len(dirs) == 0 {
		t.Skip("no examples")
	}
	for _, wf := range dirs {
		exDir := filepath.Dir(filepath.Dir(wf))
		name := filepath.Base(exDir)
		if name == "quickstart" {
			continue // owned by the lead; covered by its own e2e test
		}
		t.Run(name, func(t *testing.T) {
			data, _ := os.ReadFile(wf)
			g, f, diags := Load(filepath.Base(wf), data, oi)
			if diags.HasErrors() || f != FormatAPI {
				t.Fatalf("%v %v", f, diags)
			}
			s, err := ExtractSchema(g, oi)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			_ = s.WriteTable(&buf)
			golden(t, filepath.Join("golden", "examples", name+".schema.txt"), buf.Bytes())
			golden(t, filepath.Join("golden", "examples", name+".schema.json"), s.JSON())

			deps := FindDependencies(g, oi)
			pending := map[string]bool{}
			for _, m := range deps.Models {
				pending[m.Name] = true
			}
			for _, u := range deps.Uploads {
				pending[u.Value] = true
			}
			vd := Validate(g, oi, ValidateOptions{Options: Options{Pending: func(v string) bool { return pending[v] }}})
			want := exampleExpectations[name]
			for _, d := range vd {
				if want == "" || !strings.Contains(d.Detail, want) {
					t.Errorf("%s: %s", d.Summary, d.Detail)
				}
			}
			if want != "" && len(vd) == 0 {
				t.Errorf("expected a diagnostic about %s", want)
			}
			// Against the examples' catalogue (0.3.64 entries plus AnimateDiff-Evolved's
			// loader, the set comfysim needs) every example is clean.
			if vd := Validate(g, examplesOI, ValidateOptions{Options: Options{Pending: func(v string) bool { return pending[v] }}}); len(vd) > 0 {
				t.Errorf("examples catalogue: %v", vd)
			}
			checkConfigKeys(t, filepath.Join(exDir, "main.comfy.hcl"), g, s)
		})
	}
}

// checkConfigKeys resolves every params/uploads/sweep key of the example's render
// blocks against the schema, without evaluating values.
func checkConfigKeys(t *testing.T, path string, g Graph, s *Schema) {
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		if b.Type != "render" {
			continue
		}
		for _, attr := range []string{"params", "uploads", "sweep"} {
			a, ok := b.Body.Attributes[attr]
			if !ok {
				continue
			}
			obj, ok := a.Expr.(*hclsyntax.ObjectConsExpr)
			if !ok {
				t.Fatalf("%s is not an object", attr)
			}
			for _, item := range obj.Items {
				k, diags := item.KeyExpr.Value(nil)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				p := Param{Name: k.AsString()}
				if _, _, d := resolveParam(g, s, nil, &p); d != nil {
					t.Errorf("%s key %q: %s", attr, p.Name, d.Detail)
					continue
				}
				if sp, ok := s.Lookup(p.Name); attr == "uploads" && (!ok || sp.Kind != KindUpload) {
					t.Errorf("uploads key %q is not an upload input", p.Name)
				}
			}
		}
	}
}
