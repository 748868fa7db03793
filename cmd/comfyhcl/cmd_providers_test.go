package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestProvidersListsBuiltinsAndInstalledWithSchemas(t *testing.T) {
	poolBin, _ := providerBins(t)
	dir := t.TempDir()
	installProvider(t, dir, poolBin, "pool")
	env := isolatedEnv(t)
	res := run(t, dir, env, "providers")
	for _, want := range []string{"local ", "(built-in)", "pool 1.0.0  protocol 1.1", "members", "strategy", "least-queue", "token", "sensitive"} {
		if !strings.Contains(res.stdout, want) {
			t.Errorf("providers output lacks %q:\n%s", want, res.stdout)
		}
	}
	res = run(t, dir, env, "providers", "-json")
	var out struct {
		Providers []providerInfo `json:"providers"`
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, res.stdout)
	}
	found := false
	for _, p := range out.Providers {
		if p.Name == "pool" && !p.Builtin && p.Version == "1.0.0" && len(p.ConfigSchema) == 4 && p.ConfigSchema[0].Name == "members" && p.ConfigSchema[0].Required {
			found = true
		}
	}
	if !found {
		t.Errorf("pool missing from -json: %+v", out.Providers)
	}
	assertNoProviderProcesses(t, dir)
}

func TestProvidersSaysWhatTheConfigurationStillNeeds(t *testing.T) {
	poolBin, _ := providerBins(t)
	dir := t.TempDir()
	writeConfig(t, dir, strings.Replace(poolRequired, "%s", "~> 1.0", 1))
	env := isolatedEnv(t)
	if res := run(t, dir, env, "providers"); !strings.Contains(res.stdout, "pool (acme/pool ~> 1.0): not installed") {
		t.Errorf("missing binary:\n%s", res.stdout)
	}
	installProvider(t, dir, poolBin, "pool")
	if res := run(t, dir, env, "providers"); !strings.Contains(res.stdout, "not in the lock file: run comfyhcl init") {
		t.Errorf("not initialised:\n%s", res.stdout)
	}
	run(t, dir, env, "init")
	if res := run(t, dir, env, "providers"); !strings.Contains(res.stdout, "pool (acme/pool ~> 1.0), locked 1.0.0: ready") {
		t.Errorf("ready:\n%s", res.stdout)
	}
}

func TestVersionReportsBinaryProtocolAndProviders(t *testing.T) {
	poolBin, _ := providerBins(t)
	dir := t.TempDir()
	installProvider(t, dir, poolBin, "pool")
	res := run(t, dir, isolatedEnv(t), "version", "-json")
	var out struct {
		Version   string
		Protocol  struct{ Major, Minor int }
		Providers map[string]string
	}
	if err := json.Unmarshal([]byte(res.stdout), &out); err != nil {
		t.Fatalf("%v\n%s", err, res.stdout)
	}
	if out.Version == "" || out.Protocol.Major != 1 || out.Providers["pool"] != "1.0.0" || out.Providers["local"] == "" {
		t.Errorf("version -json: %+v", out)
	}
	res = run(t, dir, isolatedEnv(t), "version")
	if !strings.Contains(res.stdout, "provider protocol 1.1") || !strings.Contains(res.stdout, "+ provider pool 1.0.0") {
		t.Errorf("version:\n%s", res.stdout)
	}
}
