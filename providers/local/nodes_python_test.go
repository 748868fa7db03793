package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestRequirementsInstallerChoice: without a workspace venv, comfy-cli on PATH installs
// the requirements; with neither, apply says how to provide a Python.
func TestRequirementsInstallerChoice(t *testing.T) {
	zip := buildZip(t, []zipEntry{{Name: "__init__.py"}, {Name: "requirements.txt", Body: "numpy\n"}})
	reg := fakeRegistry(t, map[string]map[string][]byte{"pack": {"1.0.0": zip}})
	spec := plugins.NodeSpec{Registry: "pack", Version: "1.0.0"}

	bin := t.TempDir()
	t.Setenv("PATH", bin)
	ws := t.TempDir()
	p := wsProvider(t, ws, "", reg.URL)
	if _, diags := p.PlanNode(context.Background(), spec); len(diags) != 1 || diags[0].Severity != plugins.SeverityWarning {
		t.Fatalf("plan without python: %v, want a warning", diags)
	}
	_, diags := p.ApplyNode(context.Background(), spec, nil)
	if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "python -m venv venv") {
		t.Fatalf("no python: %v", diags)
	}
	if plan, _ := p.PlanNode(context.Background(), spec); plan.Status != plugins.NodeDifferent {
		t.Fatalf("pack without requirements installed must be planned again: %+v", plan)
	}

	logPath := filepath.Join(bin, "comfy.log")
	script := "#!/bin/sh\necho \"$*\" >> '" + logPath + "'\n"
	if err := os.WriteFile(filepath.Join(bin, "comfy"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, diags = p.ApplyNode(context.Background(), spec, nil); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if got := readLog(logPath); len(got) != 1 || got[0] != "--workspace="+ws+" --skip-prompt node fix pack" {
		t.Fatalf("comfy calls = %q", got)
	}
	if plan, _ := p.PlanNode(context.Background(), spec); plan.Status != plugins.NodePresent {
		t.Fatalf("plan after apply = %+v", plan)
	}
}

func TestPyprojectVersionAdoptsExistingPack(t *testing.T) {
	ws := t.TempDir()
	dir := filepath.Join(ws, "custom_nodes", "comfyui-x")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "pyproject.toml"), []byte("[tool.comfy]\nversion = \"0\"\n[project]\nname = \"comfyui-x\"\nversion = \"1.2.3\" # pinned\n"), 0o644)
	p := wsProvider(t, ws, "", "")
	for v, want := range map[string]plugins.NodeStatus{"1.2.3": plugins.NodePresent, "v1.2.3": plugins.NodePresent, "1.2.4": plugins.NodeDifferent} {
		plan, diags := p.PlanNode(context.Background(), plugins.NodeSpec{Registry: "comfyui-x", Version: v})
		if diags.HasErrors() || plan.Status != want || plan.InstalledVersion != "1.2.3" {
			t.Errorf("version %s: plan = %+v %v", v, plan, diags)
		}
	}
}

func TestPythonFromEnvironment(t *testing.T) {
	py := filepath.Join(t.TempDir(), "python3")
	t.Setenv(pythonEnv, py)
	inst, err := findInstaller(t.TempDir())
	if err != nil || inst.Describe() != py+" -m pip" {
		t.Fatalf("installer = %v, %v", inst, err)
	}
}
