package lang

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
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

// FuzzVarValue feeds arbitrary -var and environment text to typed variables: nothing may
// panic, and no diagnostic may quote the text given for a sensitive variable.
func FuzzVarValue(f *testing.F) {
	for _, s := range []string{"x", "5", `["a", "b"]`, `{ w = 1 }`, `{ w = "x" }`, "null", "${", `[1, [2]]`, "true", "1e999999"} {
		f.Add(s)
	}
	const src = `
variable "s" { type = string }
variable "n" { type = number }
variable "l" { type = list(string) }
variable "o" { type = object({ w = number, h = optional(number, 2) }) }
variable "any" { type = any }
variable "key" {
  type      = map(string)
  sensitive = true
}
`
	dir := f.TempDir()
	cfg, diags := LoadSources(dir, map[string][]byte{"main.comfy.hcl": []byte(src)})
	if diags.HasErrors() {
		f.Fatal(diags)
	}
	f.Fuzz(func(t *testing.T, text string) {
		var args []VarArg
		for _, n := range []string{"s", "n", "l", "o", "any", "key"} {
			args = append(args, VarArg{Name: n, Value: text})
		}
		_, diags := cfg.ResolveVariables(VariableInputs{Args: args})
		_, diags2 := cfg.ResolveVariables(VariableInputs{Env: []string{EnvVarPrefix + "key=" + text, EnvVarPrefix + "o=" + text}})
		for _, d := range append(diags, diags2...) {
			// The fixed wording of the messages is not the value.
			detail := strings.ReplaceAll(d.Detail, `e.g. ["a", "b"] or {k = "v"}`, "")
			if len(text) >= 6 && (strings.Contains(detail, text) || strings.Contains(d.Summary, text)) {
				t.Fatalf("diagnostic quotes the given value: %s: %s", d.Summary, d.Detail)
			}
		}
	})
}
