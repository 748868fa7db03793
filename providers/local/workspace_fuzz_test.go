package local

import (
	"path/filepath"
	"strings"
	"testing"
)

// FuzzModelRelPath: whatever folder and file a configuration names, an accepted path
// stays below <workspace>/models.
func FuzzModelRelPath(f *testing.F) {
	for _, s := range [][2]string{{"checkpoints", "a.safetensors"}, {"loras", "../x"}, {"..", "a"}, {"a/b", `c\..\..\d`}, {"C:", "x"}, {"/abs", "y"}, {"ok", "sub/./z"}} {
		f.Add(s[0], s[1])
	}
	ws := filepath.Join(string(filepath.Separator), "ws")
	models := filepath.Join(ws, "models")
	f.Fuzz(func(t *testing.T, folder, file string) {
		rel, err := modelRelPath(folder, file)
		if err != nil {
			return
		}
		p := keyPath(ws, rel)
		if !within(models, p) || p == models || filepath.Dir(p) == ws {
			t.Fatalf("(%q, %q) -> %q leaves %s", folder, file, p, models)
		}
		for _, c := range strings.Split(rel, "/") {
			if strings.Trim(c, ". ") == "" {
				t.Fatalf("(%q, %q) -> %q keeps the component %q", folder, file, rel, c)
			}
		}
	})
}
