package planfile

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/google/go-cmp/cmp"
)

func TestRoundTripDropsSecretsAndIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plan.out")
	in := &File{PriorLineage: "l", PriorSerial: 3, ConfigHash: "c", Changes: []Change{
		{Kind: "model", Address: "model.a", Action: "create", Provider: "local",
			Model: &Model{Name: "a", Spec: plugins.ModelSpec{Folder: "checkpoints", File: "a.safetensors", Headers: map[string]string{"Authorization": "Bearer secret"}}}},
		{Kind: "render", Address: "render.r", Action: "create", Provider: "local",
			Render: &Render{Render: "r", Graph: []byte(`{"1":{"class_type":"X","inputs":{}}}`), InputsHash: "h", OutputDir: "out/r"}},
	}}
	if err := Write(path, in); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(path)
	if info.Mode().Perm() != 0o600 {
		t.Errorf("plan file mode %v, want 0600", info.Mode().Perm())
	}
	raw, _ := os.ReadFile(path)
	if bytes.Contains(raw, []byte("secret")) {
		t.Error("the plan file holds a header secret")
	}
	out, err := Read(path)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(in, out); d != "" {
		t.Error(d)
	}
}

func TestReadRefusesOtherFiles(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{"garbage": "{", "future": `{"format_version": 99}`, "none": `{}`} {
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte(content), 0o600)
		if _, err := Read(p); err == nil {
			t.Errorf("%s: want an error", name)
		}
	}
}

func TestConfigHashSeesNamesAndContent(t *testing.T) {
	a := ConfigHash(map[string][]byte{"a.comfy.hcl": []byte("x")})
	if a == ConfigHash(map[string][]byte{"b.comfy.hcl": []byte("x")}) || a == ConfigHash(map[string][]byte{"a.comfy.hcl": []byte("y")}) {
		t.Error("hash ignores names or content")
	}
}
