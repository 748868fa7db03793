package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

func TestLoadDirErrors(t *testing.T) {
	_, diags := LoadDir(filepath.Join(t.TempDir(), "missing"))
	if len(diags) != 1 || diags[0].Summary != "Cannot read configuration directory" {
		t.Fatal(diags)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.hcl"), []byte("x = 1"), 0o644)
	os.WriteFile(filepath.Join(dir, ".hidden.comfy.hcl"), []byte("x = 1"), 0o644)
	cfg, diags := LoadDir(dir)
	if len(diags) != 1 || diags[0].Summary != "No configuration files" || cfg == nil {
		t.Fatal(diags)
	}
}

func TestLoadDirReportsEveryFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.comfy.hcl"), []byte("modle \"x\" {}\nrender \"r\" {}\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "b.comfy.hcl"), []byte("model \"m\" {\n  folder = \"checkpoints\"\n}\n"), 0o644)
	cfg, diags := LoadDir(dir)
	var got []string
	for _, d := range diags {
		got = append(got, filepath.Base(d.Subject.Filename)+": "+d.Summary)
	}
	want := "a.comfy.hcl: Unsupported block type|a.comfy.hcl: Missing required argument|b.comfy.hcl: Missing required argument"
	if strings.Join(got, "|") != want {
		t.Fatalf("got %v", got)
	}
	if len(cfg.Files) != 2 || cfg.Renders["r"] == nil || cfg.Models["m"] == nil {
		t.Fatal("partial config not returned")
	}
}

func TestRequiredVersion(t *testing.T) {
	defer func(v string) { CoreVersion = v }(CoreVersion)
	CoreVersion = "0.3.0"
	for src, ok := range map[string]bool{
		`">= 0.1.0"`:        true,
		`"~> 0.3"`:          true,
		`">= 0.4.0"`:        false,
		`">= 0.1, < 0.3.0"`: false,
		`"= 0.3.0"`:         true,
	} {
		_, diags := loadString(t, "comfyhcl {\n  required_version = "+src+"\n}\n")
		if diags.HasErrors() == ok {
			t.Errorf("%s: %v", src, diags)
		}
	}
}

func TestDecodeProviderConfig(t *testing.T) {
	cfg, diags := loadString(t, `
variable "key" {
  default   = "s3cr3t-do-not-print"
  sensitive = true
}
provider "cloud" {
  api_key     = var.key
  concurrency = "three"
  regoin      = "eu"
}
provider "local" {
}`)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	vals, _ := cfg.ResolveVariables(VariableInputs{})
	scope := &Scope{Variables: vals}
	schema := []AttributeSchema{
		{Name: "api_key", Type: cty.String, Sensitive: true},
		{Name: "concurrency", Type: cty.Number},
		{Name: "region", Type: cty.String},
		{Name: "url", Type: cty.String, Required: true},
	}
	got, diags := DecodeProviderConfig(cfg.Providers["cloud"].Config, schema, scope)
	var summaries []string
	for _, d := range diags {
		summaries = append(summaries, d.Summary)
		if strings.Contains(d.Detail, "s3cr3t") {
			t.Error("secret in diagnostic")
		}
	}
	if strings.Join(summaries, "|") != "Unsupported argument|Incorrect value type|Missing required argument" {
		t.Fatal(diags)
	}
	if !strings.Contains(diags[0].Detail, `Did you mean "region"?`) || diags[0].Subject.Start.Line != 9 {
		t.Fatal(diags[0])
	}
	if !got["api_key"].HasMark(Sensitive) || !got["region"].IsNull() {
		t.Fatalf("%#v", got)
	}
	_, diags = DecodeProviderConfig(nil, schema[:3], nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
}

func TestFormat(t *testing.T) {
	tests := map[string]string{
		"locals {\na=1\nbb = 2\n}":           "locals {\n  a  = 1\n  bb = 2\n}\n",
		"\n\n\nlocals {\n}\n\n\n":            "locals {\n}\n",
		"":                                   "",
		"  \n":                               "",
		"# only a comment":                   "# only a comment\n",
		"x = {\na = 1\n  \"b.c\" = [1,2]\n}": "x = {\n  a     = 1\n  \"b.c\" = [1, 2]\n}\n",
	}
	for in, want := range tests {
		got, diags := Format([]byte(in), "t.hcl")
		if diags.HasErrors() || string(got) != want {
			t.Errorf("Format(%q) = %q, want %q (%v)", in, got, want, diags)
		}
		again, _ := Format(got, "t.hcl")
		if string(again) != string(got) {
			t.Errorf("not idempotent on %q", in)
		}
	}
	bad := []byte("x = = 1\n")
	got, diags := Format(bad, "t.hcl")
	if !diags.HasErrors() || string(got) != string(bad) {
		t.Fatal("syntax error not reported or source changed")
	}
}

func TestLoadDirUnreadableFile(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "a.comfy.hcl"), []byte("locals {\n  a = 1\n}\n"), 0o644)
	if err := os.Symlink(filepath.Join(dir, "nowhere"), filepath.Join(dir, "b.comfy.hcl")); err != nil {
		t.Skip(err)
	}
	cfg, diags := LoadDir(dir)
	if len(diags) != 1 || diags[0].Summary != "Cannot read configuration file" || cfg.Locals["a"] == nil {
		t.Fatal(diags)
	}
}
