package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/local"
	"github.com/hashicorp/go-hclog"
)

var (
	plainBinOnce sync.Once
	plainBinPath string
)

// plainBinary is comfyhcl built without -race, so that a subprocess provider costs
// what it costs users.
func plainBinary(b *testing.B) string {
	plainBinOnce.Do(func() {
		plainBinPath = filepath.Join(filepath.Dir(binPath), "comfyhcl-plain")
		if out, err := exec.Command("go", "build", "-o", plainBinPath, ".").CombinedOutput(); err != nil {
			b.Fatalf("building comfyhcl: %v\n%s", err, out)
		}
	})
	return plainBinPath
}

// inProcessLauncher serves the local provider through the in-memory gRPC harness.
type inProcessLauncher struct{ b *testing.B }

func (l inProcessLauncher) Launch(string) (*plugins.Instance, plugins.Diagnostics) {
	return plugins.InProcessInstance(l.b, local.New(version, hclog.NewNullLogger()), "local"), nil
}

// benchApply plans and applies n zero-work renders against url in a fresh directory
// and returns how long that took.
func benchApply(b *testing.B, launcher core.Launcher, url string, n int) time.Duration {
	dir := b.TempDir()
	data, _ := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json"))
	os.MkdirAll(filepath.Join(dir, "workflows"), 0o755)
	os.WriteFile(filepath.Join(dir, "workflows", "txt2img.json"), data, 0o644)
	os.WriteFile(filepath.Join(dir, "main.comfy.hcl"), []byte(fmt.Sprintf(`provider "local" {
  url = %q
}

render "many" {
  workflow = "workflows/txt2img.json"
  params   = { steps = 1 }
  count    = %d
}
`, url, n)), 0o644)
	start := time.Now()
	cfg, diags := lang.LoadDir(dir)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	eng := core.New(core.Options{Config: cfg, StatePath: filepath.Join(dir, state.FileName), Launcher: launcher, ClientVersion: version})
	defer eng.Close()
	st, diags := eng.LoadState()
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	plan, diags := eng.Plan(context.Background(), st)
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	if diags := eng.Apply(context.Background(), plan, st, nil); diags.HasErrors() {
		b.Fatal(diags)
	}
	return time.Since(start)
}

// BenchmarkPluginBoundary applies the same many-instance configuration with the local
// provider in-process (the gRPC harness) and as a subprocess (re-executed binary, as
// users run it) and reports both and their ratio. COMFYHCL_BENCH_INSTANCES sets the
// instance count (default 1000).
func BenchmarkPluginBoundary(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("COMFYHCL_BENCH_INSTANCES")); err == nil && v > 0 {
		n = v
	}
	sim, err := comfysim.New(comfysim.Options{Faults: comfysim.Faults{StepDelay: time.Microsecond, HistoryLag: time.Microsecond}})
	if err != nil {
		b.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	sub := &providerLauncher{exe: plainBinary(b), log: hclog.NewNullLogger(), loaded: true}
	// Warm both paths (page cache, the simulator's caches) so that neither pays for
	// going first.
	benchApply(b, inProcessLauncher{b}, sim.URL(), 10)
	benchApply(b, sub, sim.URL(), 10)
	var inproc, subproc time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		inproc += benchApply(b, inProcessLauncher{b}, sim.URL(), n)
		subproc += benchApply(b, sub, sim.URL(), n)
	}
	b.ReportMetric(float64(inproc.Milliseconds())/float64(b.N), "inprocess-ms/apply")
	b.ReportMetric(float64(subproc.Milliseconds())/float64(b.N), "subprocess-ms/apply")
	b.ReportMetric(float64(subproc)/float64(inproc), "subprocess/inprocess")
	b.ReportMetric(float64(n), "instances")
}

// BenchmarkProviderStartup is the cost of starting a provider: launch, handshake,
// Metadata, Close, for the re-executed built-in and the standalone pool binary.
func BenchmarkProviderStartup(b *testing.B) {
	exe := plainBinary(b)
	poolBin := filepath.Join(filepath.Dir(binPath), "bench-pool", "comfyhcl-provider-pool")
	if out, err := exec.Command("go", "build", "-o", poolBin, "../comfyhcl-provider-pool").CombinedOutput(); err != nil {
		b.Fatalf("building the pool provider: %v\n%s", err, out)
	}
	for name, argv := range map[string][]string{"builtin-local": {exe, "internal-provider", "local"}, "pool-binary": {poolBin}} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				inst, diags := plugins.Launch(plugins.LaunchConfig{Name: name, Cmd: exec.Command(argv[0], argv[1:]...)})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				if _, diags := inst.Metadata(context.Background()); diags.HasErrors() {
					b.Fatal(diags)
				}
				inst.Close()
			}
		})
	}
}
