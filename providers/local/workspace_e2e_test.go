package local

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// startEstateSim runs comfysim on loopback with its models folder at modelsDir (so
// custom_nodes/ sits beside it, as in a ComfyUI directory).
func startEstateSim(t *testing.T, modelsDir, manager string, faults comfysim.Faults) *comfysim.Server {
	t.Helper()
	sim, err := comfysim.New(comfysim.Options{ModelsDir: modelsDir, DataDir: t.TempDir(), Manager: manager, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	return sim
}

// overGRPC configures a local provider served in-process through the plugin wire.
func overGRPC(t *testing.T, cfg map[string]any) plugins.Provider {
	t.Helper()
	pr := plugins.ServeInProcess(t, New("test", nil), "local")
	b, _ := json.Marshal(cfg)
	if _, diags := pr.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: b}); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	return pr
}

func hasClass(t *testing.T, pr plugins.Provider, class string) bool {
	t.Helper()
	inv, diags := pr.Inventory(context.Background(), plugins.InventoryRequest{ObjectInfo: true})
	if diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	var oi map[string]json.RawMessage
	json.Unmarshal([]byte(inv.ObjectInfoJSON), &oi)
	_, ok := oi[class]
	return ok
}

// TestEstateThroughPlugin installs a model and a registry pack into a workspace through
// the gRPC provider, against comfysim's model host (with connection resets) and Registry.
func TestEstateThroughPlugin(t *testing.T) {
	ws := t.TempDir()
	sim := startEstateSim(t, filepath.Join(ws, "models"), "", comfysim.Faults{ViewResetRate: 0.5, Seed: 2})
	pr := overGRPC(t, map[string]any{"url": sim.URL(), "workspace": ws, "registry_url": sim.RegistryURL()})
	ctx := context.Background()

	const size = 2<<20 + 5
	model := plugins.ModelSpec{Folder: "checkpoints", File: "e2e/base.safetensors", Source: sim.ModelFileURL("base.safetensors", size),
		SHA256: comfysim.ModelFileSHA256("base.safetensors", size), Headers: map[string]string{"Authorization": "Bearer e2e"}}
	if plan, diags := pr.PlanModel(ctx, model); diags.HasErrors() || plan.Status != plugins.ModelAbsent || !plan.Installable {
		t.Fatalf("model plan = %+v %v", plan, diags)
	}
	var mu sync.Mutex
	var last plugins.InstallProgress
	res, diags := pr.ApplyModel(ctx, model, func(ip plugins.InstallProgress) { mu.Lock(); last = ip; mu.Unlock() })
	if diags.HasErrors() || !res.Done || res.SHA256 != model.SHA256 || res.Size != size {
		t.Fatalf("model apply = %+v %v", res, diags)
	}
	if mu.Lock(); last.BytesDone != size {
		t.Errorf("last progress = %+v", last)
	}
	mu.Unlock()
	if n := sim.Stats().Requests["GET /files/{size}/{name...}"]; n < 2 {
		t.Errorf("the model host served %d requests; the reset fault should have forced a resume", n)
	}
	if plan, _ := pr.PlanModel(ctx, model); plan.Status != plugins.ModelPresent {
		t.Fatalf("model plan after apply = %+v", plan)
	}
	inv, _ := pr.Inventory(ctx, plugins.InventoryRequest{ModelFolders: []string{"checkpoints"}})
	if !slices.Contains(inv.Models["checkpoints"].Names, "e2e/base.safetensors") {
		t.Fatalf("server lists %v", inv.Models["checkpoints"].Names)
	}
	bad := model
	bad.File, bad.Source = "bad.safetensors", model.Source+"?corrupt=1"
	if _, diags := pr.ApplyModel(ctx, bad, nil); !diags.HasErrors() || !strings.Contains(diags.Err().Error(), model.SHA256) || strings.Contains(diags.Err().Error(), "Bearer e2e") {
		t.Fatalf("corrupt source: %v", diags)
	}
	assertAbsent(t, filepath.Join(ws, "models", "checkpoints", "bad.safetensors"), filepath.Join(ws, "models", "checkpoints", "bad.safetensors.part"))

	pack := plugins.NodeSpec{Registry: "comfysim-blur-pack", Version: "1.0.0"}
	for _, version := range []string{"1.0.0", "1.1.0"} {
		pack.Version = version
		if plan, diags := pr.PlanNode(ctx, pack); diags.HasErrors() || plan.Status == plugins.NodePresent || !plan.RestartRequired {
			t.Fatalf("pack plan %s = %+v %v", version, plan, diags)
		}
		res, diags := pr.ApplyNode(ctx, pack, nil)
		if diags.HasErrors() || !res.Done || res.Version != version || !res.RestartRequired {
			t.Fatalf("pack apply %s = %+v %v", version, res, diags)
		}
		if plan, _ := pr.PlanNode(ctx, pack); plan.Status != plugins.NodePresent {
			t.Fatalf("pack plan after apply %s = %+v", version, plan)
		}
	}
	if hasClass(t, pr, "SimBlur") {
		t.Fatal("SimBlur loaded before a restart")
	}
	if plan, diags := pr.PlanNode(ctx, pack); plan.Status != plugins.NodePresent || !plan.RestartRequired || len(diags) == 0 {
		t.Fatalf("plan before the restart = %+v %v, want present, restart required", plan, diags)
	}
	sim.Restart()
	if !hasClass(t, pr, "SimBlur") {
		t.Fatal("SimBlur missing after the restart")
	}
	loadedMu.Lock() // forget the provider's few-seconds-old view of the server
	clear(loadedCache)
	loadedMu.Unlock()
	if plan, diags := pr.PlanNode(ctx, pack); plan.Status != plugins.NodePresent || plan.RestartRequired || len(diags) != 0 {
		t.Fatalf("plan after the restart = %+v %v", plan, diags)
	}
	if _, err := os.Stat(filepath.Join(ws, "custom_nodes", "comfysim-blur-pack", markerFile)); err != nil {
		t.Fatal(err)
	}
}

// TestEstateThroughManager installs without a workspace, through comfysim's
// ComfyUI-Manager (v2 and legacy routes).
func TestEstateThroughManager(t *testing.T) {
	for _, flavour := range []string{"v2", "legacy"} {
		t.Run(flavour, func(t *testing.T) {
			sim := startEstateSim(t, filepath.Join(t.TempDir(), "models"), flavour, comfysim.Faults{})
			pr := overGRPC(t, map[string]any{"url": sim.URL()})
			ctx := context.Background()
			pack := plugins.NodeSpec{Registry: "comfysim-color-pack", Version: "0.2.0"}
			if plan, diags := pr.PlanNode(ctx, pack); diags.HasErrors() || plan.Status != plugins.NodeAbsent || plan.InstallMethod != methodManager {
				t.Fatalf("pack plan = %+v %v", plan, diags)
			}
			if res, diags := pr.ApplyNode(ctx, pack, nil); diags.HasErrors() || !res.Done || !res.RestartRequired {
				t.Fatalf("pack apply = %+v %v", res, diags)
			}
			if plan, _ := pr.PlanNode(ctx, pack); plan.Status != plugins.NodePresent {
				t.Fatalf("pack plan after apply = %+v", plan)
			}
			model := plugins.ModelSpec{Folder: "loras", File: "m.safetensors", Source: sim.ModelFileURL("m.safetensors", 4096)}
			if plan, _ := pr.PlanModel(ctx, model); plan.Status != plugins.ModelAbsent || !plan.Installable {
				t.Fatalf("model plan = %+v", plan)
			}
			if res, diags := pr.ApplyModel(ctx, model, nil); diags.HasErrors() || !res.Done {
				t.Fatalf("model apply = %+v %v", res, diags)
			}
			if plan, _ := pr.PlanModel(ctx, model); plan.Status != plugins.ModelPresentByName {
				t.Fatalf("model plan after apply = %+v", plan)
			}
			// A failed task is reported with Manager's own words where it keeps them (v2).
			_, diags := pr.ApplyNode(ctx, plugins.NodeSpec{Registry: "comfysim-nope", Version: "1.0.0"}, nil)
			want := "did not install"
			if flavour == "v2" {
				want = "not found in the registry"
			}
			if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), want) {
				t.Fatalf("failed install: %v, want %q", diags, want)
			}
		})
	}
}

// TestGitPackWithoutGit installs a GitHub pack from comfysim's git-free archive source on
// a machine without git, through the plugin wire.
func TestGitPackWithoutGit(t *testing.T) {
	ws := t.TempDir()
	sim := startEstateSim(t, filepath.Join(ws, "models"), "", comfysim.Faults{})
	old := githubArchiveBase
	githubArchiveBase = sim.RegistryURL() + "/git"
	t.Cleanup(func() { githubArchiveBase = old })
	t.Setenv("PATH", t.TempDir()) // no git
	pr := overGRPC(t, map[string]any{"url": sim.URL(), "workspace": ws})
	ctx := context.Background()
	pack := plugins.NodeSpec{Git: "https://github.com/comfysim/comfysim-color-pack", Ref: "v0.2.0"}
	if plan, diags := pr.PlanNode(ctx, pack); diags.HasErrors() || plan.Status != plugins.NodeAbsent {
		t.Fatalf("plan = %+v %v", plan, diags)
	}
	if res, diags := pr.ApplyNode(ctx, pack, nil); diags.HasErrors() || !res.Done || res.Version != "v0.2.0" || !res.RestartRequired {
		t.Fatalf("apply = %+v %v", res, diags)
	}
	if plan, _ := pr.PlanNode(ctx, pack); plan.Status != plugins.NodePresent {
		t.Fatalf("plan after apply = %+v", plan)
	}
	pack.Ref = "v0.3.0"
	if plan, _ := pr.PlanNode(ctx, pack); plan.Status != plugins.NodeDifferent || plan.InstalledVersion != "v0.2.0" {
		t.Fatalf("plan for another ref = %+v", plan)
	}
	sim.Restart()
	if !hasClass(t, pr, "SimColorize") {
		t.Fatal("SimColorize missing after the restart")
	}
	if _, diags := pr.ApplyNode(ctx, plugins.NodeSpec{Git: "https://example.com/x/Repo", Ref: "v1"}, nil); !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "git is not on PATH") {
		t.Fatalf("non-GitHub pack without git: %v", diags)
	}
}
