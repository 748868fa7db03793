package workflow

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// uiFixtureErrors: fixture files that are expected not to convert, and why.
var uiFixtureErrors = map[string]string{
	"edge__missing_models.json": "a workflow with no nodes at all (only a models list)",
}

func TestEveryWorkflowFixtureLoads(t *testing.T) {
	root := filepath.Join(sharedDir(t), "fixtures", "workflows")
	oi := realObjectInfo(t)
	var files []string
	for _, sub := range []string{"api", "pairs", "ui"} {
		m, _ := filepath.Glob(filepath.Join(root, sub, "*.json"))
		files = append(files, m...)
	}
	sort.Strings(files)
	for _, path := range files {
		name := filepath.Base(path)
		if strings.HasSuffix(name, ".object_info.json") {
			continue
		}
		t.Run(filepath.Base(filepath.Dir(path))+"/"+name, func(t *testing.T) {
			data, _ := os.ReadFile(path)
			g, _, diags := Load(name, data, oi)
			if reason, ok := uiFixtureErrors[name]; ok {
				if !diags.HasErrors() {
					t.Errorf("expected an error (%s)", reason)
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			for _, d := range diags {
				t.Logf("warning: %s: %s", d.Summary, d.Detail)
			}
			if _, err := ExtractSchema(g, oi); err != nil {
				t.Errorf("schema: %v", err)
			}
		})
	}
}
