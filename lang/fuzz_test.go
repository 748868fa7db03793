package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// FuzzLoad feeds arbitrary bytes through everything lang does with a configuration:
// parse, decode, Validate (static evaluation), references, the dependency graph,
// variables, redaction and Format. Nothing may panic, every error must carry a range,
// and Format must be idempotent.
func FuzzLoad(f *testing.F) {
	for _, set := range []string{"valid", "invalid", "warnings"} {
		paths, _ := filepath.Glob(filepath.Join("testdata", set, "*.comfy.hcl"))
		more, _ := filepath.Glob(filepath.Join("testdata", set, "*", "*.hcl"))
		for _, p := range append(paths, more...) {
			if src, err := os.ReadFile(p); err == nil {
				f.Add(src)
			}
		}
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		cfg, diags := LoadSources(dir, map[string][]byte{"main.comfy.hcl": src})
		diags = append(diags, cfg.Validate()...)
		for _, d := range diags {
			if d.Subject == nil {
				t.Fatalf("diagnostic without a range: %s: %s", d.Summary, d.Detail)
			}
		}
		g, _ := cfg.DependencyGraph()
		_ = g.Order()
		vals, _ := cfg.ResolveVariables(VariableInputs{})
		for _, v := range vals {
			_ = FormatValue(v)
			_ = Redact(v)
		}
		scope := &Scope{BaseDir: dir, Variables: vals}
		for _, l := range cfg.Locals {
			if _, err := References(l.Expr); err == nil {
				v, _ := scope.Eval(l.Expr, cty.DynamicPseudoType)
				_ = FormatValue(v)
			}
		}
		out, fdiags := Format(src, "main.comfy.hcl")
		if fdiags.HasErrors() {
			return
		}
		again, fdiags := Format(out, "main.comfy.hcl")
		if fdiags.HasErrors() {
			t.Fatalf("formatted output does not parse: %s\n%s", fdiags, out)
		}
		if !bytes.Equal(out, again) {
			t.Fatalf("Format is not idempotent:\n--- once\n%s\n--- twice\n%s", out, again)
		}
	})
}
