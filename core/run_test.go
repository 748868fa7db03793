package core

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/plugins"
)

const runGraph = `{
 "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 12, "cfg": 7.0, "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0,
   "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
 "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sim_base.safetensors"}},
 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 512, "height": 384, "batch_size": 1}},
 "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["4", 1]}},
 "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["4", 1]}},
 "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
 "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "x", "images": ["8", 0]}}
}`

func loadRunGraph(t *testing.T) workflow.Graph {
	t.Helper()
	g, _, diags := workflow.Load("g.json", []byte(runGraph), nil)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return g
}

func graphInput(t *testing.T, raw []byte, node, input string) string {
	t.Helper()
	var g map[string]struct {
		Inputs map[string]json.RawMessage `json:"inputs"`
	}
	if err := json.Unmarshal(raw, &g); err != nil {
		t.Fatal(err)
	}
	return string(g[node].Inputs[input])
}

func TestExpandRunSweepCountAndSeeds(t *testing.T) {
	axes, err := ParseSweep("steps=10,20; cfg=5")
	if err != nil {
		t.Fatal(err)
	}
	insts, diags := ExpandRun(RunSpec{Graph: loadRunGraph(t), Sweep: axes, Count: 2, OutputDir: "/o",
		Params: []workflow.Param{{Name: "prompt", Value: "a cat"}}})
	if diags.HasErrors() || len(insts) != 4 {
		t.Fatalf("%d instances, %v", len(insts), diags)
	}
	var got []string
	for _, in := range insts {
		got = append(got, fmt.Sprintf("%s %s steps=%s cfg=%s seed=%s text=%s", in.Address, filepath.Base(in.OutputDir),
			graphInput(t, in.GraphJSON, "3", "steps"), graphInput(t, in.GraphJSON, "3", "cfg"),
			graphInput(t, in.GraphJSON, "3", "seed"), graphInput(t, in.GraphJSON, "6", "text")))
	}
	want := []string{
		`run[0] 000 steps=10 cfg=5 seed=42 text="a cat"`,
		`run[1] 001 steps=10 cfg=5 seed=43 text="a cat"`,
		`run[2] 002 steps=20 cfg=5 seed=42 text="a cat"`,
		`run[3] 003 steps=20 cfg=5 seed=43 text="a cat"`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if d := DescribeParams(insts[3].Varying); d != "steps=20, cfg=5, seed=43" {
		t.Errorf("varying %q", d)
	}
}

func TestExpandRunSingleRandomizedAndErrors(t *testing.T) {
	g := loadRunGraph(t)
	insts, diags := ExpandRun(RunSpec{Graph: g, RandomizeSeed: true, OutputDir: "/o"})
	if diags.HasErrors() || len(insts) != 1 || insts[0].Address != "run" || insts[0].OutputDir != "/o" {
		t.Fatalf("%+v %v", insts, diags)
	}
	if graphInput(t, insts[0].GraphJSON, "3", "seed") == "42" || len(insts[0].Varying) != 1 {
		t.Errorf("seed not randomized: %v", insts[0].Varying)
	}
	if _, diags := ExpandRun(RunSpec{Graph: g, Params: []workflow.Param{{Name: "nosuch", Value: "1"}}}); !diags.HasErrors() {
		t.Error("an unknown parameter was accepted")
	}
	if _, err := ParseSweep("steps"); err == nil {
		t.Error("a sweep axis without values was accepted")
	}
}

// fakeRunProvider succeeds every prompt except those whose graph contains failText, and
// records how many ran at once.
type fakeRunProvider struct {
	plugins.UnimplementedProvider
	failText                 string
	mu                       sync.Mutex
	n, inFlight, maxInFlight int
	graphs                   map[string]string
	release                  chan struct{}
}

func (f *fakeRunProvider) Metadata(context.Context) (plugins.Metadata, plugins.Diagnostics) {
	return plugins.Metadata{}, nil
}
func (f *fakeRunProvider) Configure(context.Context, plugins.ConfigureRequest) (plugins.ConfigureResult, plugins.Diagnostics) {
	return plugins.ConfigureResult{}, nil
}
func (f *fakeRunProvider) Inventory(context.Context, plugins.InventoryRequest) (plugins.Inventory, plugins.Diagnostics) {
	return plugins.Inventory{}, nil
}
func (f *fakeRunProvider) Stop(context.Context) error                         { return nil }
func (f *fakeRunProvider) Cancel(context.Context, string) plugins.Diagnostics { return nil }

func (f *fakeRunProvider) Submit(_ context.Context, req plugins.SubmitRequest) (plugins.SubmitResult, plugins.Diagnostics) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.n++
	id := fmt.Sprintf("p%d", f.n)
	f.graphs[id] = string(req.GraphJSON)
	f.inFlight++
	f.maxInFlight = max(f.maxInFlight, f.inFlight)
	return plugins.SubmitResult{PromptID: id}, nil
}

func (f *fakeRunProvider) Watch(ctx context.Context, req plugins.WatchRequest, onEvent func(plugins.Event)) plugins.Diagnostics {
	onEvent(plugins.Event{Kind: plugins.EventStarted, PromptID: req.PromptID})
	if f.release != nil {
		select {
		case <-f.release:
		case <-ctx.Done():
		}
	}
	f.mu.Lock()
	f.inFlight--
	f.mu.Unlock()
	return nil
}

func (f *fakeRunProvider) Fetch(_ context.Context, req plugins.FetchRequest) (plugins.FetchResult, plugins.Diagnostics) {
	f.mu.Lock()
	g := f.graphs[req.PromptID]
	f.mu.Unlock()
	if f.failText != "" && strings.Contains(g, f.failText) {
		return plugins.FetchResult{Status: plugins.JobFailed, Error: &plugins.ExecutionError{NodeID: "3", ExceptionType: "RuntimeError"}}, nil
	}
	os.WriteFile(filepath.Join(req.OutputDir, "out.png"), []byte("png"), 0o644)
	return plugins.FetchResult{Status: plugins.JobSucceeded, Files: []plugins.OutputFile{{NodeID: "9", Path: "out.png", Size: 3}}}, nil
}

func TestRunParallelContinueOnErrorAndStop(t *testing.T) {
	axes, _ := ParseSweep("steps=1,2,3,4,5,6")
	for _, cont := range []bool{true, false} {
		// Stopping is checked with one render at a time, so that the failure is known
		// before the next submit.
		f := &fakeRunProvider{failText: `"steps":2`, graphs: map[string]string{}}
		out, parallel := t.TempDir(), 2
		if !cont {
			parallel = 1
		}
		res, diags := Run(context.Background(), f, RunSpec{Graph: loadRunGraph(t), Sweep: axes, OutputDir: out,
			Parallel: parallel, ContinueOnError: cont}, nil)
		if diags.HasErrors() || len(res) != 6 {
			t.Fatalf("%d results, %v", len(res), diags)
		}
		counts := map[string]int{}
		for _, r := range res {
			counts[r.Status]++
		}
		if f.maxInFlight > 2 {
			t.Errorf("%d renders in flight, want at most 2", f.maxInFlight)
		}
		if res[1].Status != RunFailed || res[1].Error == nil || res[0].Status != RunSucceeded {
			t.Errorf("results %+v", res[:2])
		}
		if cont && counts[RunSucceeded] != 5 {
			t.Errorf("continue-on-error: %v", counts)
		}
		if !cont && (counts[RunSucceeded] != 1 || counts[RunFailed] != 1 || counts[RunSkipped] != 4) {
			t.Errorf("stop on first error: %v", counts)
		}
		if res[0].Status == RunSucceeded && (len(res[0].Outputs) != 1 || res[0].Outputs[0].Path != "000/out.png") {
			t.Errorf("outputs %+v", res[0].Outputs)
		}
		if _, err := os.Stat(filepath.Join(out, "000", "out.png")); err != nil {
			t.Error(err)
		}
	}
}

func TestRunInterruptedSkipsTheRest(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	f := &fakeRunProvider{graphs: map[string]string{}, release: make(chan struct{})}
	hooks := &cancelOnStart{cancel: cancel}
	res, _ := Run(ctx, f, RunSpec{Graph: loadRunGraph(t), Count: 3, OutputDir: t.TempDir()}, hooks)
	if res[0].Status != RunInterrupted || res[1].Status != RunSkipped || res[2].Status != RunSkipped {
		t.Errorf("statuses %s %s %s", res[0].Status, res[1].Status, res[2].Status)
	}
}

type cancelOnStart struct {
	NoHooks
	cancel func()
}

func (c *cancelOnStart) RenderEvent(string, plugins.Event) { c.cancel() }
