package pool

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

func TestConfigDiagnosticsNameTheAttribute(t *testing.T) {
	cases := map[string]string{
		`{}`:                              "members",
		`{"members":[{"url":"ftp://x"}]}`: "members.0.url",
		`{"members":[{"url":"http://a:1"},{"url":"http://a:1"}]}`:     "members.1.url",
		`{"members":[{"url":"http://a:1","weight":-1}]}`:              "members.0.weight",
		`{"members":[{"url":"http://a:1"}],"strategy":"random"}`:      "strategy",
		`{"members":[{"url":"http://a:1"}],"health_interval":"soon"}`: "health_interval",
	}
	for raw, path := range cases {
		_, _, diags := parseConfig([]byte(raw))
		if !diags.HasErrors() || strings.Join(diags[0].AttributePath, ".") != path {
			t.Errorf("%s: want an error on %s, got %+v", raw, path, diags)
		}
	}
	cfg, _, diags := parseConfig([]byte(`{"members":[{"url":"http://a:1"},{"url":"http://b:1","weight":3}]}`))
	if diags.HasErrors() || cfg.Strategy != StrategyLeastQueue || cfg.Concurrency != 4 || cfg.Members[0].Weight != 1 {
		t.Errorf("defaults: %+v %v", cfg, diags)
	}
}

func TestInventoryIsTheIntersectionAndNamesWhatEachMemberLacks(t *testing.T) {
	a := startSim(t, comfysim.Faults{}, "extra.safetensors")
	b := startSim(t, comfysim.Faults{})
	p, _ := poolOver(t, nil, a, b)
	inv, diags := p.Inventory(context.Background(), plugins.InventoryRequest{ObjectInfo: true, ModelFolders: []string{"checkpoints"}})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if got := inv.Models["checkpoints"].Names; len(got) != 1 || got[0] != "sim_base.safetensors" {
		t.Errorf("checkpoints = %v, want only what both have", got)
	}
	cat, err := parseCatalog(inv.ObjectInfoJSON)
	if err != nil {
		t.Fatal(err)
	}
	opts := cat.combos["CheckpointLoaderSimple"]["ckpt_name"]
	if len(opts) != 1 || opts[0] != "sim_base.safetensors" {
		t.Errorf("ckpt_name options = %v", opts)
	}
	if len(diags) != 1 || diags[0].Severity != plugins.SeverityWarning || !strings.Contains(diags[0].Detail, b.URL()+" lacks \"extra.safetensors\" (CheckpointLoaderSimple.ckpt_name)") {
		t.Errorf("want one warning naming %s and the model it lacks, got %+v", b.URL(), diags)
	}
}

func TestRenderGoesToAMemberWithItsModels(t *testing.T) {
	a := startSim(t, comfysim.Faults{})
	b := startSim(t, comfysim.Faults{}, "extra.safetensors")
	p, _ := poolOver(t, nil, a, b)
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		res, diags := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: graph(t, "extra.safetensors", 1), Instance: "render.x"})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		if diags := p.Watch(ctx, plugins.WatchRequest{PromptID: res.PromptID}, func(plugins.Event) {}); diags.HasErrors() {
			t.Fatal(diags)
		}
	}
	if a.Stats().Submits != 0 || b.Stats().Submits != 3 {
		t.Errorf("submits a=%d b=%d; only b has the model", a.Stats().Submits, b.Stats().Submits)
	}
	_, diags := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: graph(t, "nowhere.safetensors", 1)})
	if !diags.HasErrors() || !strings.Contains(diags[0].Detail, `lacks "nowhere.safetensors"`) {
		t.Errorf("a render no member can run: %v", diags)
	}
}

// TestMemberDownMidRunResubmitsOnce kills one of three servers while renders run on it:
// every render completes once, under the id Submit returned.
func TestMemberDownMidRunResubmitsOnce(t *testing.T) {
	slow := comfysim.Faults{StepDelay: 15 * time.Millisecond}
	sims := []*comfysim.Server{startSim(t, slow), startSim(t, slow), startSim(t, slow)}
	p, impl := poolOver(t, nil, sims...)
	ctx := context.Background()
	const n = 12
	var wg sync.WaitGroup
	results := make([]plugins.FetchResult, n)
	errs := make([]plugins.Diagnostics, n)
	ids := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res, diags := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: graph(t, "sim_base.safetensors", 10), Instance: "render.x"})
			if errs[i] = diags; diags.HasErrors() {
				return
			}
			ids[i] = res.PromptID
			if errs[i] = p.Watch(ctx, plugins.WatchRequest{PromptID: res.PromptID}, func(plugins.Event) {}); errs[i].HasErrors() {
				return
			}
			results[i], errs[i] = p.Fetch(ctx, plugins.FetchRequest{PromptID: res.PromptID, OutputDir: t.TempDir()})
		}()
	}
	victim := sims[0]
	waitFor(t, "a submit on the victim", func() bool { return victim.Stats().Submits >= 2 })
	victim.Close()
	wg.Wait()
	seen := map[string]bool{}
	moved := 0
	for i := 0; i < n; i++ {
		if errs[i].HasErrors() {
			t.Errorf("render %d: %v", i, errs[i])
			continue
		}
		if results[i].Status != plugins.JobSucceeded || len(results[i].Files) != 1 {
			t.Errorf("render %d: %+v", i, results[i])
		}
		if seen[ids[i]] {
			t.Errorf("id %s given out twice", ids[i])
		}
		seen[ids[i]] = true
		if len(errs[i]) == 1 && strings.Contains(errs[i][0].Detail, "resubmitted") {
			moved++
		}
	}
	spread := impl.Spread()
	t.Logf("spread: %+v (moved %d)", spread, moved)
	if !spread[0].Down || moved == 0 {
		t.Errorf("the killed member should be down and some renders moved: %+v moved=%d", spread, moved)
	}
	if got := spread[0].Finished + spread[1].Finished + spread[2].Finished; got != n {
		t.Errorf("finished renders across members = %d, want %d", got, n)
	}
}
