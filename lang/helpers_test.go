package lang

import (
	"os"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

// loadFile loads one fixture file as a whole configuration.
func loadFile(t *testing.T, path string) (*Config, hcl.Diagnostics) {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return LoadSources(t.TempDir(), map[string][]byte{path: src})
}

// loadString loads src as the configuration's only file, main.comfy.hcl.
func loadString(t *testing.T, src string) (*Config, hcl.Diagnostics) {
	t.Helper()
	return LoadSources(t.TempDir(), map[string][]byte{"main.comfy.hcl": []byte(src)})
}
