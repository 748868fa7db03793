package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

var inputsHashRe = regexp.MustCompile(`"inputs_hash":\s*"([0-9a-f]{64})"`)

// Importing a workflow then planning it gives the same graph (the same inputs hash)
// as planning the workflow file itself.
func TestWorkflowImportThenPlanIsTheSameGraph(t *testing.T) {
	srv := startSim(t, comfysim.Faults{})
	src := filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json")
	data, err := os.ReadFile(src)
	if err != nil {
		t.Skip("quickstart workflow not present")
	}
	provider := "provider \"local\" {\n  url = \"" + srv.URL() + "\"\n}\n\n"

	fileDir := t.TempDir()
	os.MkdirAll(filepath.Join(fileDir, "workflows"), 0o755)
	os.WriteFile(filepath.Join(fileDir, "workflows", "wf.json"), data, 0o644)
	os.WriteFile(filepath.Join(fileDir, "main.comfy.hcl"), []byte(provider+"render \"r\" {\n  workflow = \"workflows/wf.json\"\n}\n"), 0o644)

	imp := run(t, fileDir, nil, "workflow", "import", "workflows/wf.json", "-name", "r")
	if imp.code != 0 {
		t.Fatalf("import: %d %s", imp.code, imp.stderr)
	}
	inlineDir := t.TempDir()
	os.WriteFile(filepath.Join(inlineDir, "main.comfy.hcl"), []byte(provider+imp.stdout), 0o644)

	hashes := map[string]string{}
	for name, dir := range map[string]string{"file": fileDir, "inline": inlineDir} {
		if p := run(t, dir, nil, "plan", "-out", "plan.bin"); p.code != 0 {
			t.Fatalf("%s plan: %d\n%s\n%s", name, p.code, p.stdout, p.stderr)
		}
		show := run(t, dir, nil, "show", "-json", "plan.bin")
		m := inputsHashRe.FindStringSubmatch(show.stdout)
		if show.code != 0 || m == nil {
			t.Fatalf("%s show: %d\n%s\n%s", name, show.code, show.stdout, show.stderr)
		}
		hashes[name] = m[1]
	}
	if hashes["file"] != hashes["inline"] {
		t.Errorf("import then plan changed the graph: %v", hashes)
	}
}
