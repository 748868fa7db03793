package plugins

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestTypeFromSourceAndBinaryName(t *testing.T) {
	for src, want := range map[string]string{"acme/pool": "pool", "registry.example.com/acme/pool": "pool", "pool": "pool"} {
		if got := TypeFromSource(src); got != want {
			t.Errorf("TypeFromSource(%q) = %q", src, got)
		}
	}
	if BinaryName("pool") != "comfyhcl-provider-pool" {
		t.Error(BinaryName("pool"))
	}
}

func TestFindSearchesProjectThenDataHomeThenPATH(t *testing.T) {
	project, data, pathDir := t.TempDir(), t.TempDir(), t.TempDir()
	t.Setenv("XDG_DATA_HOME", data)
	t.Setenv("PATH", pathDir)
	dirs := SearchDirs(project)
	if dirs[0] != filepath.Join(project, ".comfyhcl", "plugins") || dirs[1] != filepath.Join(data, "comfyhcl", "plugins") {
		t.Fatalf("SearchDirs = %v", dirs)
	}
	put := func(dir, name string, mode os.FileMode) string {
		os.MkdirAll(dir, 0o755)
		p := filepath.Join(dir, name)
		os.WriteFile(p, []byte("#!/bin/sh\n"), mode)
		return p
	}
	if _, looked, ok := Find("pool", dirs, true); ok || len(looked) != 3 {
		t.Fatalf("found a provider in empty dirs, looked %v", looked)
	}
	inPath := put(pathDir, "comfyhcl-provider-pool", 0o755)
	if p, _, ok := Find("pool", dirs, true); !ok || p != inPath {
		t.Errorf("PATH: %q %v", p, ok)
	}
	if _, _, ok := Find("pool", dirs, false); ok {
		t.Error("found on PATH with usePATH=false")
	}
	inData := put(dirs[1], "comfyhcl-provider-pool", 0o755)
	if p, _, _ := Find("pool", dirs, true); p != inData {
		t.Errorf("data home should win over PATH: %q", p)
	}
	put(dirs[0], "comfyhcl-provider-pool", 0o644) // not executable: skipped
	if p, _, _ := Find("pool", dirs, true); p != inData {
		t.Errorf("a non-executable file must be skipped: %q", p)
	}
	inProject := put(dirs[0], "comfyhcl-provider-pool", 0o755)
	os.Chmod(inProject, 0o755)
	if p, _, _ := Find("pool", dirs, true); p != inProject {
		t.Errorf("the project dir should win: %q", p)
	}
	put(dirs[1], "comfyhcl-provider-other", 0o755)
	got := ListInstalled(dirs, true)
	if len(got) != 2 || got[0].Type != "other" || got[1].Type != "pool" || got[1].Path != inProject {
		t.Errorf("ListInstalled = %+v", got)
	}
}

func TestDescribeBinary(t *testing.T) {
	ctx := context.Background()
	d, diags := DescribeBinary(ctx, "fake", fakeBin)
	if diags.HasErrors() || d.Name != "fake" || d.Version != "0.9.0" || d.Protocol != HostProtocol || len(d.ConfigSchema) != 1 {
		t.Fatalf("describe: %+v %v", d, diags)
	}
	_, diags = describeBinary(ctx, "fake", fakeBin, append(os.Environ(), "FAKE_MODE=junk"))
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, "hello from an init function") || !strings.Contains(diags[0].Detail, "not a provider description") {
		t.Errorf("junk: %v", diags)
	}
	d, diags = describeBinary(ctx, "fake", fakeBin, append(os.Environ(), "FAKE_MODE=proto2"))
	if len(diags) != 1 || d.Version != "2.0.0" || !strings.Contains(diags[0].Detail, "protocol 2; this comfyhcl speaks protocol 1") {
		t.Errorf("proto2: %v", diags)
	}
	_, diags = describeBinary(ctx, "fake", fakeBin, append(os.Environ(), "FAKE_MODE=crash-start"))
	if len(diags) != 1 || !strings.Contains(diags[0].Detail, "panic: fake provider: cannot start") {
		t.Errorf("crash: %v", diags)
	}
}
