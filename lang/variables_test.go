package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

const precedenceConfig = `
variable "a" { default = "default" }
variable "b" { default = "default" }
variable "c" { default = "default" }
variable "d" { default = "default" }
variable "e" { default = "default" }
variable "f" { default = "default" }
variable "g" { default = "default" }
`

// TestVariablePrecedence checks Terraform's order, later wins: default < environment <
// comfyhcl.vars.hcl < *.auto.vars.hcl (lexical) < -var / -var-file in command-line order.
func TestVariablePrecedence(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("main.comfy.hcl", precedenceConfig)
	write("comfyhcl.vars.hcl", "b = \"vars\"\nc = \"vars\"\nd = \"vars\"\ne = \"vars\"\nf = \"vars\"\ng = \"vars\"\n")
	write("a.auto.vars.hcl", "c = \"auto-a\"\nd = \"auto-a\"\ne = \"auto-a\"\nf = \"auto-a\"\ng = \"auto-a\"\n")
	write("b.auto.vars.hcl", "d = \"auto-b\"\ne = \"auto-b\"\nf = \"auto-b\"\ng = \"auto-b\"\n")
	cliFile := write("cli.hcl", "e = \"var-file\"\nf = \"var-file\"\n")
	cfg, diags := LoadDir(dir)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	in := VariableInputs{
		Env: []string{"COMFYHCL_VAR_a=env", "COMFYHCL_VAR_b=env", "COMFYHCL_VAR_g=env", "COMFYHCL_VAR_undeclared=x", "PATH=/bin"},
		Args: []VarArg{
			{Name: "f", Value: "-var before file"},
			{File: cliFile},
			{Name: "g", Value: "-var"},
		},
	}
	vals, diags := cfg.ResolveVariables(in)
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	want := map[string]string{
		"a": "env",      // env over default
		"b": "vars",     // comfyhcl.vars.hcl over env
		"c": "auto-a",   // auto over comfyhcl.vars.hcl
		"d": "auto-b",   // b.auto after a.auto
		"e": "var-file", // -var-file over auto files
		"f": "var-file", // the later of -var and -var-file wins
		"g": "-var",
	}
	for name, w := range want {
		if got := vals[name].AsString(); got != w {
			t.Errorf("var.%s = %q, want %q", name, got, w)
		}
	}
}

func TestVariableInputs(t *testing.T) {
	const src = `
variable "name" { type = string }
variable "n" {
  type    = number
  default = 1
}
variable "tags" {
  type    = list(string)
  default = []
}
variable "size" {
  type = object({ w = number, h = optional(number, 64) })
  default = { w = 8 }
}
variable "strict" {
  type     = string
  nullable = false
  default  = "fallback"
}
variable "key" {
  type      = string
  sensitive = true
  default   = "s3cr3t-do-not-print"
  validation {
    condition     = length(var.key) > 4
    error_message = "key too short: ${var.key}"
  }
}
variable "steps" {
  type    = number
  default = 20
  validation {
    condition     = var.steps >= 1 && var.steps <= 150
    error_message = "steps must be between 1 and 150."
  }
}
`
	tests := []struct {
		name  string
		args  []VarArg
		env   []string
		check func(t *testing.T, vals map[string]cty.Value)
		err   string // substring of the joined diagnostics
	}{
		{name: "required missing", err: `No value for required variable`},
		{name: "primitive -var taken literally", args: []VarArg{{Name: "name", Value: `"quoted"`}, {Name: "n", Value: "5"}},
			check: func(t *testing.T, v map[string]cty.Value) {
				if v["name"].AsString() != `"quoted"` || !v["n"].RawEquals(cty.NumberIntVal(5)) {
					t.Errorf("got %s %s", FormatValue(v["name"]), FormatValue(v["n"]))
				}
			}},
		{name: "complex -var in HCL syntax", args: []VarArg{{Name: "name", Value: "x"}, {Name: "tags", Value: `["a", "b"]`}, {Name: "size", Value: `{ w = 2 }`}},
			check: func(t *testing.T, v map[string]cty.Value) {
				if v["tags"].LengthInt() != 2 || !v["size"].GetAttr("h").RawEquals(cty.NumberIntVal(64)) {
					t.Errorf("got %s %s", FormatValue(v["tags"]), FormatValue(v["size"]))
				}
			}},
		{name: "complex env in HCL syntax", args: []VarArg{{Name: "name", Value: "x"}}, env: []string{`COMFYHCL_VAR_tags=["z"]`},
			check: func(t *testing.T, v map[string]cty.Value) {
				if v["tags"].LengthInt() != 1 {
					t.Errorf("got %s", FormatValue(v["tags"]))
				}
			}},
		{name: "bad complex -var", args: []VarArg{{Name: "name", Value: "x"}, {Name: "tags", Value: `["a"`}}, err: "not a valid HCL expression"},
		{name: "number conversion error", args: []VarArg{{Name: "name", Value: "x"}, {Name: "n", Value: "five"}}, err: "Expected number: a number is required"},
		{name: "object conversion error names the attribute", args: []VarArg{{Name: "name", Value: "x"}, {Name: "size", Value: `{ w = "wide" }`}}, err: `attribute "w": a number is required`},
		{name: "missing object attribute", args: []VarArg{{Name: "name", Value: "x"}, {Name: "size", Value: `{ h = 1 }`}}, err: `attribute "w" is required`},
		{name: "list element conversion error", args: []VarArg{{Name: "name", Value: "x"}, {Name: "tags", Value: `[["nested"]]`}}, err: "element 0: string required"},
		{name: "undeclared -var", args: []VarArg{{Name: "name", Value: "x"}, {Name: "nmae", Value: "y"}}, err: `Did you mean "name"?`},
		{name: "non-nullable null falls back to default", args: []VarArg{{Name: "name", Value: "x"}, {Name: "strict", Value: "null"}},
			check: func(t *testing.T, v map[string]cty.Value) {
				// "null" for a string variable is the literal text, as in Terraform.
				if v["strict"].AsString() != "null" {
					t.Errorf("got %s", FormatValue(v["strict"]))
				}
			}},
		{name: "validation failure", args: []VarArg{{Name: "name", Value: "x"}, {Name: "steps", Value: "500"}}, err: "steps must be between 1 and 150."},
		{name: "sensitive validation message is redacted", args: []VarArg{{Name: "name", Value: "x"}, {Name: "key", Value: "s3cr"}}, err: "(sensitive value)"},
		{name: "sensitive is marked", args: []VarArg{{Name: "name", Value: "x"}},
			check: func(t *testing.T, v map[string]cty.Value) {
				if !v["key"].HasMark(Sensitive) || v["name"].IsMarked() {
					t.Error("marks wrong")
				}
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, diags := loadString(t, src)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			vals, diags := cfg.ResolveVariables(VariableInputs{Args: tt.args, Env: tt.env})
			all := diags.Error()
			for _, d := range diags {
				all += "\n" + d.Detail
			}
			if strings.Contains(all, "s3cr3t") || strings.Contains(all, "s3cr\"") {
				t.Errorf("diagnostics print the secret: %s", all)
			}
			if tt.err != "" {
				if !strings.Contains(all, tt.err) {
					t.Fatalf("want %q in:\n%s", tt.err, all)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(all)
			}
			tt.check(t, vals)
		})
	}
}

func TestVariablePrompt(t *testing.T) {
	cfg, _ := loadString(t, `variable "name" { description = "Who?" }`)
	var asked string
	vals, diags := cfg.ResolveVariables(VariableInputs{Prompt: func(name, desc string) (string, bool) {
		asked = name + ": " + desc
		return "Ada", true
	}})
	if diags.HasErrors() || vals["name"].AsString() != "Ada" || asked != "name: Who?" {
		t.Fatal(diags, asked)
	}
}

func TestVarsFileErrors(t *testing.T) {
	cfg, _ := loadString(t, `variable "a" { default = 1 }`)
	_, diags := cfg.ResolveVariables(VariableInputs{Args: []VarArg{{File: filepath.Join(t.TempDir(), "nope.hcl")}}})
	if !diags.HasErrors() || diags[0].Summary != "Cannot read variables file" {
		t.Fatal(diags)
	}
	if _, diags := ParseVarArg("novalue"); !diags.HasErrors() || diags[0].Summary != "Invalid -var option" {
		t.Fatal("ParseVarArg accepted a flag without =")
	}
	if a, diags := ParseVarArg("x=a=b"); diags.HasErrors() || a.Name != "x" || a.Value != "a=b" {
		t.Fatal(a, diags)
	}
}

func TestVariableDefaultsCallFunctions(t *testing.T) {
	t.Setenv("COMFYHCL_TEST_KEY", "k-123")
	cfg, diags := loadString(t, `
variable "key" {
  sensitive = true
  default   = env("COMFYHCL_TEST_KEY")
}
variable "missing" {
  default = env("COMFYHCL_TEST_SURELY_UNSET")
}
variable "fallback" {
  default = upper(env("COMFYHCL_TEST_SURELY_UNSET", "x"))
}
`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if d := cfg.Validate(); len(d) > 0 {
		t.Fatalf("validate must not depend on the environment: %s", d)
	}
	vals, diags := cfg.ResolveVariables(VariableInputs{})
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, "COMFYHCL_TEST_SURELY_UNSET is not set") || diags[0].Subject.Start.Line != 7 {
		t.Fatalf("want one error for the unset variable: %s", diags)
	}
	if raw, _ := vals["key"].Unmark(); raw.AsString() != "k-123" || !vals["key"].HasMark(Sensitive) || vals["fallback"].AsString() != "X" {
		t.Fatalf("%#v", vals)
	}
	vals, diags = cfg.ResolveVariables(VariableInputs{Args: []VarArg{{Name: "missing", Value: "given"}}})
	if diags.HasErrors() || vals["missing"].AsString() != "given" {
		t.Fatal("a given value must not evaluate the default", diags)
	}
}
