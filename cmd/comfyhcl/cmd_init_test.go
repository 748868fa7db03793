package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

const poolRequired = `comfyhcl {
  required_providers {
    pool = { source = "acme/pool", version = "%s" }
  }
}
`

func TestInitRecordsHashAndRefusesAChangedBinary(t *testing.T) {
	poolBin, _ := providerBins(t)
	dir := t.TempDir()
	writeConfig(t, dir, strings.Replace(poolRequired, "%s", "~> 1.0", 1)+`provider "pool" {
  members = [{ url = "http://127.0.0.1:1" }]
}

render "x" {
  provider = pool
  workflow = "workflows/txt2img.json"
}
`)
	copyWorkflow(t, dir)
	installed := installProvider(t, dir, poolBin, "pool")
	env := isolatedEnv(t)

	res := run(t, dir, env, "init")
	if res.code != 0 || !strings.Contains(res.stdout, "acme/pool 1.0.0 (protocol 1.1)") {
		t.Fatalf("init: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	lf, diags := plugins.LoadLockFile(filepath.Join(dir, plugins.LockFileName))
	hash, _ := plugins.FileHash(installed)
	if p, ok := lf.Provider("acme/pool"); diags.HasErrors() || !ok || p.Version != "1.0.0" || p.Constraints != "~> 1.0" || !p.HasHash(hash) {
		t.Fatalf("lock file: %+v %v", lf.Providers, diags)
	}

	p, _ := lf.Provider("acme/pool")
	p.Hashes = append(p.Hashes, "sha256:from-another-platform")
	lf.Save(filepath.Join(dir, plugins.LockFileName))
	if res := run(t, dir, env, "init"); res.code != 0 {
		t.Fatalf("second init: %s", res.stderr)
	}
	lf, _ = plugins.LoadLockFile(filepath.Join(dir, plugins.LockFileName))
	if p, _ := lf.Provider("acme/pool"); !p.HasHash(hash) || !p.HasHash("sha256:from-another-platform") {
		t.Errorf("init dropped another platform's hash: %+v", p)
	}

	f, _ := os.OpenFile(installed, os.O_APPEND|os.O_WRONLY, 0o755)
	f.Write([]byte("tampered"))
	f.Close()
	res = run(t, dir, env, "init")
	if res.code == 0 || !strings.Contains(res.stderr, `Provider "pool" binary changed since init`) || !strings.Contains(res.stderr, "init -upgrade") {
		t.Errorf("init with a changed binary: exit %d\n%s", res.code, res.stderr)
	}
	res = run(t, dir, env, "plan")
	if res.code == 0 || !strings.Contains(res.stderr, "binary changed since init") {
		t.Errorf("plan with a changed binary: exit %d\n%s", res.code, res.stderr)
	}
	res = run(t, dir, env, "init", "-upgrade")
	if res.code != 0 {
		t.Fatalf("init -upgrade: exit %d\n%s", res.code, res.stderr)
	}
	lf, _ = plugins.LoadLockFile(filepath.Join(dir, plugins.LockFileName))
	newHash, _ := plugins.FileHash(installed)
	if p, _ := lf.Provider("acme/pool"); !p.HasHash(newHash) || p.HasHash(hash) {
		t.Errorf("after -upgrade the lock file should hold the new hash only: %+v", p)
	}
	assertNoProviderProcesses(t, dir)
}

func TestInitChecksVersionConstraintAndPresence(t *testing.T) {
	poolBin, _ := providerBins(t)
	dir := t.TempDir()
	writeConfig(t, dir, strings.Replace(poolRequired, "%s", "~> 2.0", 1))
	env := isolatedEnv(t)
	res := run(t, dir, env, "init")
	if res.code == 0 || !strings.Contains(res.stderr, `Provider "pool" is not installed`) || !strings.Contains(res.stderr, ".comfyhcl/plugins") {
		t.Errorf("missing binary: exit %d\n%s", res.code, res.stderr)
	}
	installProvider(t, dir, poolBin, "pool")
	res = run(t, dir, env, "init")
	if res.code == 0 || !strings.Contains(res.stderr, `version 1.0.0 does not match "~> 2.0"`) || !strings.Contains(res.stderr, "main.comfy.hcl:3:") {
		t.Errorf("constraint: exit %d\n%s", res.code, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, plugins.LockFileName)); err == nil {
		t.Error("a failed init wrote the lock file")
	}
}

func TestInitFindsProvidersInDataHome(t *testing.T) {
	poolBin, _ := providerBins(t)
	dir, data := t.TempDir(), t.TempDir()
	writeConfig(t, dir, strings.Replace(poolRequired, "%s", ">= 1.0", 1))
	os.MkdirAll(filepath.Join(data, "comfyhcl", "plugins"), 0o755)
	b, _ := os.ReadFile(poolBin)
	os.WriteFile(filepath.Join(data, "comfyhcl", "plugins", "comfyhcl-provider-pool"), b, 0o755)
	res := run(t, dir, []string{"XDG_DATA_HOME=" + data}, "init")
	if res.code != 0 || !strings.Contains(res.stdout, filepath.Join(data, "comfyhcl", "plugins")) {
		t.Errorf("init: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}
