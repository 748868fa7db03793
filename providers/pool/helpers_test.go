package pool

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// startSim runs a simulator on loopback; extraModels are added to its checkpoints.
func startSim(t *testing.T, faults comfysim.Faults, extraModels ...string) *comfysim.Server {
	t.Helper()
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "checkpoints"), 0o755)
	for _, m := range append([]string{"sim_base.safetensors"}, extraModels...) {
		os.WriteFile(filepath.Join(dir, "checkpoints", m), []byte("placeholder"), 0o644)
	}
	srv, err := comfysim.New(comfysim.Options{ModelsDir: dir, Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// poolOver configures a pool provider, served in memory over real gRPC, on the sims.
func poolOver(t *testing.T, extra map[string]any, sims ...*comfysim.Server) (plugins.Provider, *Provider) {
	t.Helper()
	var members []map[string]any
	for _, s := range sims {
		members = append(members, map[string]any{"url": s.URL()})
	}
	cfg := map[string]any{"members": members, "health_interval": "100ms"}
	for k, v := range extra {
		cfg[k] = v
	}
	raw, _ := json.Marshal(cfg)
	impl := New(nil)
	p := plugins.ServeInProcess(t, impl, "pool")
	if _, diags := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: raw}); diags.HasErrors() {
		t.Fatal(diags)
	}
	t.Cleanup(func() { impl.Stop(context.Background()) })
	return p, impl
}

// graph is the quickstart workflow with the given checkpoint and sampler steps.
func graph(t *testing.T, ckpt string, steps int) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json"))
	if err != nil {
		t.Fatal(err)
	}
	var g map[string]map[string]any
	json.Unmarshal(data, &g)
	g["4"]["inputs"].(map[string]any)["ckpt_name"] = ckpt
	g["3"]["inputs"].(map[string]any)["steps"] = steps
	out, _ := json.Marshal(g)
	return out
}

// waitFor polls cond for a bounded time; the test fails if it never holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for i := 0; i < 400; i++ {
		if cond() {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Fatalf("timed out waiting for %s", what)
}
