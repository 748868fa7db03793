package plugins

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLockFileRoundTripAllSections(t *testing.T) {
	path := filepath.Join(t.TempDir(), LockFileName)
	lf := NewLockFile()
	lf.SetProvider(LockedProvider{Source: "acme/pool", Version: "1.0.2", Constraints: "~> 1.0", Hashes: []string{"sha256:bb", "sha256:aa"}})
	lf.SetProvider(LockedProvider{Source: "acme/cloudish", Version: "0.3.0"})
	lf.SetModel(LockedModel{Source: "https://example.com/m.safetensors", SHA256: "31e3", Size: 6938078334})
	lf.SetNode(LockedNode{ID: "comfyui-impact-pack", Version: "8.8.1"})
	lf.SetNode(LockedNode{ID: "https://github.com/ltdrdata/ComfyUI-Impact-Pack", Commit: "a1b2c3"})
	if err := lf.Save(path); err != nil {
		t.Fatal(err)
	}
	first, _ := os.ReadFile(path)
	got, diags := LoadLockFile(path)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	want := NewLockFile()
	want.SetProvider(LockedProvider{Source: "acme/pool", Version: "1.0.2", Constraints: "~> 1.0", Hashes: []string{"sha256:aa", "sha256:bb"}})
	want.SetProvider(LockedProvider{Source: "acme/cloudish", Version: "0.3.0"})
	want.SetModel(LockedModel{Source: "https://example.com/m.safetensors", SHA256: "31e3", Size: 6938078334})
	want.SetNode(LockedNode{ID: "comfyui-impact-pack", Version: "8.8.1"})
	want.SetNode(LockedNode{ID: "https://github.com/ltdrdata/ComfyUI-Impact-Pack", Commit: "a1b2c3"})
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if err := got.Save(path); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(path)
	if string(first) != string(second) {
		t.Errorf("saving the same pins gave different bytes:\n%s\n---\n%s", first, second)
	}
	if p, ok := got.Provider("acme/pool"); !ok || !p.HasHash("sha256:bb") || p.HasHash("sha256:cc") {
		t.Errorf("Provider/HasHash: %+v %v", p, ok)
	}
	if m, ok := got.Model("https://example.com/m.safetensors"); !ok || m.Size != 6938078334 {
		t.Errorf("Model: %+v", m)
	}
	if n, ok := got.Node("comfyui-impact-pack"); !ok || n.Version != "8.8.1" {
		t.Errorf("Node: %+v", n)
	}
	for _, want := range []string{`provider "acme/pool" {`, `model "https://example.com/m.safetensors" {`, `node "comfyui-impact-pack" {`, "# This file is maintained by comfyhcl"} {
		if !strings.Contains(string(first), want) {
			t.Errorf("lock file lacks %q:\n%s", want, first)
		}
	}
}

func TestLockFileMissingIsEmptyAndBrokenIsADiagnostic(t *testing.T) {
	dir := t.TempDir()
	lf, diags := LoadLockFile(filepath.Join(dir, "nope.hcl"))
	if diags.HasErrors() || len(lf.Providers)+len(lf.Models)+len(lf.Nodes) != 0 {
		t.Fatalf("missing file: %v %+v", diags, lf)
	}
	bad := filepath.Join(dir, LockFileName)
	os.WriteFile(bad, []byte("provider \"a/b\" {\n  hashes = [\n}\n"), 0o644)
	if _, diags := LoadLockFile(bad); !diags.HasErrors() || diags[0].Subject == nil {
		t.Errorf("broken file should give a placed diagnostic, got %v", diags)
	}
	os.WriteFile(bad, []byte("provider \"a/b\" {\n  hashes = []\n}\n"), 0o644)
	if _, diags := LoadLockFile(bad); !diags.HasErrors() || !strings.Contains(diags.Error(), "init") {
		t.Errorf("a provider without version should say how to fix it, got %v", diags)
	}
}

func TestFileHash(t *testing.T) {
	p := filepath.Join(t.TempDir(), "f")
	os.WriteFile(p, []byte("abc"), 0o644)
	h, err := FileHash(p)
	if err != nil || h != "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("FileHash = %q, %v", h, err)
	}
}
