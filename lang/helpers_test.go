package lang

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// loadFile loads one fixture file as a whole configuration.
func loadFile(t *testing.T, path string) (*Config, hcl.Diagnostics) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return LoadSources(filepath.Dir(path), map[string][]byte{path: src})
}

// loadString loads src as the configuration's only file, main.comfy.hcl.
func loadString(t *testing.T, src string) (*Config, hcl.Diagnostics) {
	t.Helper()
	return LoadSources(t.TempDir(), map[string][]byte{"main.comfy.hcl": []byte(src)})
}

func parseExpr(t *testing.T, src string) hcl.Expression {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags)
	}
	return expr
}
