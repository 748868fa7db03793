package local

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// fakeRegistry serves /nodes/{id}/install?version= and the zips it points at.
func fakeRegistry(t *testing.T, packs map[string]map[string][]byte) *httptest.Server {
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
		switch {
		case len(parts) == 3 && parts[0] == "nodes" && parts[2] == "install":
			versions, ok := packs[parts[1]]
			if !ok {
				http.Error(w, `{"message":"node not found"}`, http.StatusNotFound)
				return
			}
			v := r.URL.Query().Get("version")
			if _, ok := versions[v]; !ok {
				http.Error(w, `{"message":"invalid version"}`, http.StatusBadRequest)
				return
			}
			status := "NodeVersionStatusActive"
			if v == "0.0.1" {
				status = "NodeVersionStatusBanned"
			}
			json.NewEncoder(w).Encode(map[string]any{"id": "nv-" + v, "version": v, "node_id": parts[1],
				"downloadUrl": srv.URL + "/zip/" + parts[1] + "/" + v, "status": status, "deprecated": v == "0.9.0"})
		case len(parts) == 3 && parts[0] == "zip":
			http.ServeContent(w, r, "pack.zip", time.Unix(0, 0), bytes.NewReader(packs[parts[1]][parts[2]]))
		default:
			http.NotFound(w, r)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

// fakePython installs <ws>/venv/bin/python as a script that records its working
// directory and arguments, and fails while <ws>/pyfail exists.
func fakePython(t *testing.T, ws string) (logPath string) {
	t.Helper()
	logPath = filepath.Join(ws, "python.log")
	script := "#!/bin/sh\necho \"$(pwd)|$*\" >> '" + logPath + "'\n" +
		"if [ -f '" + filepath.Join(ws, "pyfail") + "' ]; then echo 'ERROR: No matching distribution found for torchx' >&2; exit 1; fi\n"
	bin := filepath.Join(ws, "venv", "bin")
	os.MkdirAll(bin, 0o755)
	if err := os.WriteFile(filepath.Join(bin, "python"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return logPath
}

func readLog(path string) []string {
	b, _ := os.ReadFile(path)
	return strings.Split(strings.TrimSpace(string(b)), "\n")
}

func TestRegistryPackLifecycle(t *testing.T) {
	v1 := buildZip(t, []zipEntry{{Name: "__init__.py", Body: "v1"}, {Name: "old.py", Body: "gone in v2"}, {Name: "requirements.txt", Body: "numpy\n"}})
	v2 := buildZip(t, []zipEntry{{Name: "pack-2.0/__init__.py", Body: "v2"}, {Name: "pack-2.0/requirements.txt", Body: "numpy\n"}})
	evil := buildZip(t, []zipEntry{{Name: "__init__.py"}, {Name: "../../../evil.py", Body: "pwned"}})
	reg := fakeRegistry(t, map[string]map[string][]byte{"comfyui-test-pack": {"1.0.0": v1, "2.0.0": v2, "6.6.6": evil}})
	ws := t.TempDir()
	pylog := fakePython(t, ws)
	p := wsProvider(t, ws, "", reg.URL)
	ctx := context.Background()
	dir := filepath.Join(ws, "custom_nodes", "comfyui-test-pack")
	spec := plugins.NodeSpec{Registry: "comfyui-test-pack", Version: "1.0.0"}

	plan, diags := p.PlanNode(ctx, spec)
	if diags.HasErrors() || plan.Status != plugins.NodeAbsent || !plan.Installable || !plan.RestartRequired {
		t.Fatalf("fresh plan = %+v %v", plan, diags)
	}
	res, diags := p.ApplyNode(ctx, spec, nil)
	if diags.HasErrors() || !res.Done || res.Version != "1.0.0" || !res.RestartRequired {
		t.Fatalf("apply = %+v %v", res, diags)
	}
	if got := readLog(pylog); len(got) != 1 || got[0] != dir+"|-m pip install --disable-pip-version-check -r requirements.txt" {
		t.Fatalf("python calls = %q", got)
	}
	if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodePresent || plan.RestartRequired {
		t.Fatalf("plan after apply = %+v", plan)
	}

	// Upgrade: the new archive (with a top-level folder) replaces the old one whole.
	spec.Version = "2.0.0"
	if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodeDifferent || plan.InstalledVersion != "1.0.0" {
		t.Fatalf("plan for 2.0.0 = %+v", plan)
	}
	os.WriteFile(filepath.Join(ws, "pyfail"), nil, 0o644)
	if _, diags = p.ApplyNode(ctx, spec, nil); !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "No matching distribution") {
		t.Fatalf("apply with failing pip: %v", diags)
	}
	if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodeDifferent {
		t.Fatalf("a pack whose requirements failed must be planned again, got %+v", plan)
	}
	os.Remove(filepath.Join(ws, "pyfail"))
	if _, diags = p.ApplyNode(ctx, spec, nil); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "__init__.py")); string(b) != "v2" {
		t.Fatalf("__init__.py = %q", b)
	}
	assertAbsent(t, filepath.Join(dir, "old.py"), filepath.Join(dir, "pack-2.0"))
	if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodePresent {
		t.Fatalf("plan after upgrade = %+v", plan)
	}

	// A malicious archive is refused and the installed pack stays as it was.
	if _, diags = p.ApplyNode(ctx, plugins.NodeSpec{Registry: "comfyui-test-pack", Version: "6.6.6"}, nil); !diags.HasErrors() || !strings.Contains(diags.Err().Error(), `contains ".."`) {
		t.Fatalf("evil archive: %v", diags)
	}
	assertAbsent(t, filepath.Join(ws, "evil.py"), filepath.Join(filepath.Dir(ws), "evil.py"))
	if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodePresent {
		t.Fatalf("plan after refused archive = %+v", plan)
	}
}

func TestRegistryErrors(t *testing.T) {
	z := buildZip(t, []zipEntry{{Name: "__init__.py"}})
	reg := fakeRegistry(t, map[string]map[string][]byte{"known": {"1.0.0": z, "0.0.1": z, "0.9.0": z}})
	ws := t.TempDir()
	p := wsProvider(t, ws, "", reg.URL)
	cases := []struct {
		spec plugins.NodeSpec
		want string
	}{
		{plugins.NodeSpec{Registry: "unknown", Version: "1.0.0"}, "no unknown@1.0.0 (HTTP 404"},
		{plugins.NodeSpec{Registry: "known", Version: "9.9.9"}, "no version \"9.9.9\""},
		{plugins.NodeSpec{Registry: "known", Version: "0.0.1"}, "marks this version Banned"},
		{plugins.NodeSpec{Registry: "../x", Version: "1"}, "not a Comfy Registry id"},
		{plugins.NodeSpec{Registry: "known"}, "pin `version`"},
		{plugins.NodeSpec{Registry: "known", Version: "1", Git: "https://x/y"}, "exactly one"},
	}
	for _, tc := range cases {
		_, diags := p.ApplyNode(context.Background(), tc.spec, nil)
		if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), tc.want) {
			t.Errorf("%+v: %v, want %q", tc.spec, diags, tc.want)
		}
	}
	res, diags := p.ApplyNode(context.Background(), plugins.NodeSpec{Registry: "known", Version: "0.9.0"}, nil)
	if diags.HasErrors() || !res.Done || len(diags) != 1 || !strings.Contains(diags[0].Summary, "deprecated") {
		t.Fatalf("deprecated version: %+v %v", res, diags)
	}
}

func TestRegistryInstallKeepsUnmanagedPack(t *testing.T) {
	zip := buildZip(t, []zipEntry{{Name: "__init__.py", Body: "new"}})
	reg := fakeRegistry(t, map[string]map[string][]byte{"comfyui-x": {"2.0.0": zip}})
	ws := t.TempDir()
	dir := filepath.Join(ws, "custom_nodes", "comfyui-x")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "__init__.py"), []byte("mine"), 0o644)
	p := wsProvider(t, ws, "", reg.URL)
	if _, diags := p.ApplyNode(context.Background(), plugins.NodeSpec{Registry: "comfyui-x", Version: "2.0.0"}, nil); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	backups, _ := filepath.Glob(filepath.Join(ws, "custom_nodes", "comfyui-x.comfyhcl-backup-*.disabled", "__init__.py"))
	if len(backups) != 1 {
		t.Fatalf("backups = %v, want the user's copy kept", backups)
	}
	if b, _ := os.ReadFile(backups[0]); string(b) != "mine" {
		t.Fatalf("backup holds %q", b)
	}
}
