package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/go-hclog"
)

// planFixture writes a workspace with `models` checkpoint files and a configuration that
// declares them and sweeps a render over all of them `count` times.
func planFixture(tb testing.TB, models, count int) (dir, ws string) {
	ws, dir = tb.TempDir(), tb.TempDir()
	ckpts := filepath.Join(ws, "models", "checkpoints")
	os.MkdirAll(ckpts, 0o755)
	os.MkdirAll(filepath.Join(ws, "custom_nodes"), 0o755)
	var blocks, files strings.Builder
	for i := 0; i < models; i++ {
		name := fmt.Sprintf("m%03d.safetensors", i)
		content := []byte(fmt.Sprintf("model %d", i))
		os.WriteFile(filepath.Join(ckpts, name), content, 0o644)
		sum := sha256.Sum256(content)
		fmt.Fprintf(&blocks, "model \"m%03d\" {\n  folder = \"checkpoints\"\n  file = %q\n  sha256 = %q\n}\n", i, name, hex.EncodeToString(sum[:]))
		fmt.Fprintf(&files, "model.m%03d.file, ", i)
	}
	wf, _ := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json"))
	os.MkdirAll(filepath.Join(dir, "workflows"), 0o755)
	os.WriteFile(filepath.Join(dir, "workflows", "txt2img.json"), wf, 0o644)
	cfg := fmt.Sprintf(`variable "url" { type = string }
provider "local" {
  url       = var.url
  workspace = %q
}
%s
render "grid" {
  workflow  = "workflows/txt2img.json"
  count     = %d
  seed_mode = "increment"
  sweep     = { ckpt_name = [%s] }
}
`, ws, blocks.String(), count, files.String())
	os.WriteFile(filepath.Join(dir, "main.comfy.hcl"), []byte(cfg), 0o644)
	return dir, ws
}

// planOnce plans dir against url with the local provider in process and returns the
// number of render instances.
func planOnce(tb testing.TB, dir, url string, launcher core.Launcher) int {
	cfg, diags := lang.LoadDir(dir)
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	eng := core.New(core.Options{Config: cfg, StatePath: filepath.Join(dir, state.FileName), Launcher: launcher,
		Variables: lang.VariableInputs{Args: []lang.VarArg{{Name: "url", Value: url}}}, ClientVersion: version})
	defer eng.Close()
	st, _ := eng.LoadState()
	plan, diags := eng.Plan(context.Background(), st)
	if diags.HasErrors() {
		tb.Fatal(diags)
	}
	n := 0
	for _, ch := range plan.Changes {
		if ch.Instance != nil {
			n++
		}
	}
	return n
}

func startPlanSim(tb testing.TB, ws string) *comfysim.Server {
	sim, err := comfysim.New(comfysim.Options{ModelsDir: filepath.Join(ws, "models")})
	if err != nil {
		tb.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { sim.Close() })
	return sim
}

func totalRequests(s comfysim.Stats) int {
	n := 0
	for _, c := range s.Requests {
		n += c
	}
	return n
}

// TestPlanRequestsDoNotGrowWithInstances: the server is asked the same questions
// whether a render expands to 20 instances or 100 (object_info once, each needed model
// folder once).
func TestPlanRequestsDoNotGrowWithInstances(t *testing.T) {
	var counts []int
	for _, count := range []int{1, 5} {
		dir, ws := planFixture(t, 20, count)
		sim := startPlanSim(t, ws)
		launcher := &providerLauncher{exe: binPath, log: hclog.NewNullLogger(), loaded: true}
		if n := planOnce(t, dir, sim.URL(), launcher); n != 20*count {
			t.Fatalf("planned %d instances, want %d", n, 20*count)
		}
		counts = append(counts, totalRequests(sim.Stats()))
	}
	if counts[0] != counts[1] {
		t.Errorf("server requests: %d for 20 instances, %d for 100; plan must not ask per instance", counts[0], counts[1])
	}
}

// BenchmarkPlan1000Instances200Models is the design's plan budget: 1,000 instances over
// 200 models, provider as a subprocess, against comfysim (goal: under 1 s).
func BenchmarkPlan1000Instances200Models(b *testing.B) {
	dir, ws := planFixture(b, 200, 5)
	sim := startPlanSim(b, ws)
	launcher := &providerLauncher{exe: plainBinary(b), log: hclog.NewNullLogger(), loaded: true}
	planOnce(b, dir, sim.URL(), launcher) // warm the workspace hash cache, as a second plan would
	before := totalRequests(sim.Stats())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if n := planOnce(b, dir, sim.URL(), launcher); n != 1000 {
			b.Fatalf("planned %d instances", n)
		}
	}
	b.ReportMetric(float64(totalRequests(sim.Stats())-before)/float64(b.N), "server-requests/plan")
}
