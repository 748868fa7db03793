package core_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// fakeServer is a provider whose server has one output node class and installs
// whatever it is asked, except model files named "broken.safetensors".
type fakeServer struct {
	plugins.UnimplementedProvider
	mu      sync.Mutex
	submits int
}

const fakeCatalogue = `{"Out": {"input": {"required": {"label": ["STRING", {}]}}, "input_order": {"required": ["label"]},
 "output": [], "output_is_list": [], "output_name": [], "name": "Out", "display_name": "Out", "description": "",
 "python_module": "nodes", "category": "test", "output_node": true}}`

func (f *fakeServer) Metadata(context.Context) (plugins.Metadata, plugins.Diagnostics) {
	return plugins.Metadata{Name: "fake", ConfigSchema: []plugins.AttributeSchema{{Name: "workspace", Type: "string"}}}, nil
}
func (f *fakeServer) Configure(context.Context, plugins.ConfigureRequest) (plugins.ConfigureResult, plugins.Diagnostics) {
	return plugins.ConfigureResult{Concurrency: 1}, nil
}
func (f *fakeServer) Inventory(context.Context, plugins.InventoryRequest) (plugins.Inventory, plugins.Diagnostics) {
	return plugins.Inventory{ObjectInfoJSON: []byte(fakeCatalogue)}, nil
}
func (f *fakeServer) PlanModel(context.Context, plugins.ModelSpec) (plugins.ModelPlan, plugins.Diagnostics) {
	return plugins.ModelPlan{Status: plugins.ModelAbsent, Installable: true}, nil
}
func (f *fakeServer) ApplyModel(_ context.Context, m plugins.ModelSpec, _ func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	if m.File == "broken.safetensors" {
		return plugins.InstallProgress{}, plugins.Errorf("Download failed", "the source answered 404")
	}
	return plugins.InstallProgress{SHA256: m.SHA256, Size: 1}, nil
}
func (f *fakeServer) PlanNode(context.Context, plugins.NodeSpec) (plugins.NodePlan, plugins.Diagnostics) {
	return plugins.NodePlan{Status: plugins.NodeAbsent, Installable: true, RestartRequired: true}, nil
}
func (f *fakeServer) ApplyNode(_ context.Context, n plugins.NodeSpec, _ func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	return plugins.InstallProgress{Version: n.Version, RestartRequired: true}, nil
}
func (f *fakeServer) Submit(context.Context, plugins.SubmitRequest) (plugins.SubmitResult, plugins.Diagnostics) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.submits++
	return plugins.SubmitResult{PromptID: "p" + string(rune('0'+f.submits))}, nil
}
func (f *fakeServer) Watch(_ context.Context, req plugins.WatchRequest, on func(plugins.Event)) plugins.Diagnostics {
	on(plugins.Event{Kind: plugins.EventSucceeded, PromptID: req.PromptID})
	return nil
}
func (f *fakeServer) Fetch(_ context.Context, req plugins.FetchRequest) (plugins.FetchResult, plugins.Diagnostics) {
	os.WriteFile(filepath.Join(req.OutputDir, req.PromptID+".png"), []byte(req.PromptID), 0o644)
	return plugins.FetchResult{Status: plugins.JobSucceeded, Files: []plugins.OutputFile{{Path: req.PromptID + ".png", Size: 2, SHA256: "x"}}}, nil
}
func (f *fakeServer) Cancel(context.Context, string) plugins.Diagnostics { return nil }
func (f *fakeServer) Stop(context.Context) error                         { return nil }

type fakeLauncher struct {
	t   *testing.T
	srv *fakeServer
}

func (l fakeLauncher) Launch(string) (*plugins.Instance, plugins.Diagnostics) {
	return plugins.InProcessInstance(l.t, l.srv, "local"), nil
}

const estateConfig = `
provider "local" {
  workspace = "ws"
}
model "good" {
  folder = "checkpoints"
  file   = "good.safetensors"
  source = "http://127.0.0.1:1/good"
}
model "bad" {
  folder = "checkpoints"
  file   = "broken.safetensors"
  source = "http://127.0.0.1:1/broken"
}
node "pack" {
  registry = "some-pack"
  version  = "1.0.0"
}
render "needs_bad" {
  workflow = { "1" = { class_type = "Out", inputs = { label = model.bad.file } } }
}
render "needs_good" {
  workflow = { "1" = { class_type = "Out", inputs = { label = model.good.file } } }
}
`

func TestApplySkipsDependentsOfAFailureAndRestartsOnce(t *testing.T) {
	dir := t.TempDir()
	cfg, diags := lang.LoadSources(dir, map[string][]byte{"main.comfy.hcl": []byte(estateConfig)})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	srv := &fakeServer{UnimplementedProvider: plugins.UnimplementedProvider{Name: "fake"}}
	var restarts []string
	eng := core.New(core.Options{Config: cfg, StatePath: filepath.Join(dir, state.FileName), Launcher: fakeLauncher{t, srv},
		RestartServer: func(_ context.Context, ws string) (bool, error) { restarts = append(restarts, ws); return true, nil }})
	defer eng.Close()
	st, _ := eng.LoadState()
	plan, diags := eng.Plan(context.Background(), st)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	diags = eng.Apply(context.Background(), plan, st, nil)

	var skipped, failed bool
	for _, d := range diags {
		skipped = skipped || (strings.Contains(d.Summary, "Skipped render.needs_bad") && strings.Contains(d.Detail, "model.bad"))
		failed = failed || d.Summary == "Download failed"
	}
	if !skipped || !failed {
		t.Errorf("want the failed download and the skipped render named, got %v", diags)
	}
	if srv.submits != 1 {
		t.Errorf("submits = %d, want 1 (only render.needs_good)", srv.submits)
	}
	if len(restarts) != 1 || restarts[0] != filepath.Join(dir, "ws") {
		t.Errorf("restarts %v, want one for the provider's workspace", restarts)
	}
	back, err := state.Load(filepath.Join(dir, state.FileName))
	if err != nil {
		t.Fatal(err)
	}
	ps := back.Providers["local"]
	if ps == nil || ps.Models["good"] == nil || ps.Models["bad"] != nil || ps.Nodes["pack"] == nil || ps.Renders["render.needs_good"] == nil || ps.Renders["render.needs_bad"] != nil {
		t.Errorf("state after apply: %+v", ps)
	}
}
