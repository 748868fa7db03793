package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core/state"
)

// estateEnv is a workspace on disk, a simulator serving it, and a configuration that
// declares two models, one node pack and a render with 2 counts x 2 sweep values.
type estateEnv struct {
	t         *testing.T
	dir, ws   string
	sim       *comfysim.Server
	env       []string
	baseModel string
}

func newEstateEnv(t *testing.T) *estateEnv {
	ws := t.TempDir()
	for _, d := range []string{"models/checkpoints", "models/loras", "custom_nodes"} {
		os.MkdirAll(filepath.Join(ws, d), 0o755)
	}
	os.WriteFile(filepath.Join(ws, "models/checkpoints/sim_base.safetensors"), []byte("placeholder"), 0o644)
	// The workspace's Python, which installs a pack's requirements: a stand-in that
	// succeeds, so the test needs no Python and no network.
	os.MkdirAll(filepath.Join(ws, "venv/bin"), 0o755)
	os.WriteFile(filepath.Join(ws, "venv/bin/python"), []byte("#!/bin/sh\necho \"$@\" >> \"$(dirname \"$0\")/calls.log\"\n"), 0o755)
	sim, err := comfysim.New(comfysim.Options{ModelsDir: filepath.Join(ws, "models"), Faults: comfysim.Faults{StepDelay: 20 * time.Millisecond}})
	if err != nil {
		t.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sim.Close() })
	e := &estateEnv{t: t, dir: t.TempDir(), ws: ws, sim: sim,
		env: []string{"COMFYHCL_VAR_url=" + sim.URL(), "COMFYHCL_VAR_workspace=" + ws, "COMFYHCL_VAR_registry=" + sim.RegistryURL()}}
	e.baseModel = filepath.Join(ws, "models/checkpoints/estate_base.safetensors")
	wf, _ := os.ReadFile("testdata/estate/workflow.json")
	os.WriteFile(filepath.Join(e.dir, "workflow.json"), wf, 0o644)
	e.writeConfig("5, 7")
	return e
}

func (e *estateEnv) writeConfig(cfgs string) {
	tmpl, err := os.ReadFile("testdata/estate/main.comfy.hcl.tmpl")
	if err != nil {
		e.t.Fatal(err)
	}
	const baseSize, loraSize = 300_000, 120_000
	r := strings.NewReplacer(
		"{{BASE_URL}}", e.sim.ModelFileURL("estate_base.safetensors", baseSize),
		"{{BASE_SHA}}", comfysim.ModelFileSHA256("estate_base.safetensors", baseSize),
		"{{LORA_URL}}", e.sim.ModelFileURL("estate_detail.safetensors", loraSize),
		"{{LORA_SHA}}", comfysim.ModelFileSHA256("estate_detail.safetensors", loraSize),
		"{{CFGS}}", cfgs)
	if err := os.WriteFile(filepath.Join(e.dir, "main.comfy.hcl"), []byte(r.Replace(string(tmpl))), 0o644); err != nil {
		e.t.Fatal(err)
	}
}

// planJSON runs plan -json and returns action by address.
func (e *estateEnv) planJSON() (map[string]jsonChange, result) {
	e.t.Helper()
	res := run(e.t, e.dir, e.env, "plan", "-json")
	if res.code != 0 {
		e.t.Fatalf("plan: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	var p jsonPlan
	if err := json.Unmarshal([]byte(res.stdout), &p); err != nil {
		e.t.Fatalf("plan -json: %v\n%s", err, res.stdout)
	}
	out := map[string]jsonChange{}
	for _, c := range p.Changes {
		out[c.Address] = c
	}
	return out, res
}

func countActions(changes map[string]jsonChange) map[string]int {
	n := map[string]int{}
	for _, c := range changes {
		n[c.Kind+" "+c.Action]++
	}
	return n
}

func TestEstateLifecycle(t *testing.T) {
	e := newEstateEnv(t)

	changes, _ := e.planJSON()
	got := countActions(changes)
	if got["model create"] != 2 || got["node create"] != 1 || got["render create"] != 4 {
		t.Fatalf("fresh plan: %v, want 2 models, 1 pack, 4 renders to create", got)
	}

	apply := run(t, e.dir, e.env, "apply", "-auto-approve")
	if apply.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
	}
	if _, err := os.Stat(e.baseModel); err != nil {
		t.Fatalf("the model was not installed in the workspace: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.ws, "custom_nodes", "comfysim-blur-pack")); err != nil {
		t.Errorf("the node pack was not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(e.dir, ".comfyhcl.lock.hcl")); err != nil {
		t.Errorf("no lock file after apply: %v", err)
	}

	if res := run(t, e.dir, e.env, "plan", "-detailed-exitcode"); res.code != 0 || !strings.Contains(res.stdout, "No changes") {
		t.Fatalf("plan after apply: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}

	e.writeConfig("5, 8")
	changes, _ = e.planJSON()
	for addr, c := range changes {
		affected := strings.Contains(addr, "cfg=7") || strings.Contains(addr, "cfg=8")
		if c.Kind == "render" && affected == (c.Action == "no-op") {
			t.Errorf("after changing one sweep value: %s is %s", addr, c.Action)
		}
	}
	if n := countActions(changes); n["render create"] != 2 || n["render delete"] != 2 || n["render no-op"] != 2 {
		t.Errorf("sweep change: %v", n)
	}
	e.writeConfig("5, 7")

	st := readState(t, e.dir)
	victim, _ := st.FindRender(`render.sweep["cfg=5,#1"]`)
	if victim == nil || len(victim.Outputs) == 0 {
		t.Fatalf("no outputs recorded for cfg=5,#1: %+v", victim)
	}
	os.Remove(filepath.Join(e.dir, victim.Outputs[0].Path))
	changes, _ = e.planJSON()
	if c := changes[`render.sweep["cfg=5,#1"]`]; c.Action != "replace" || !strings.Contains(c.Reason, victim.Outputs[0].Path) {
		t.Errorf("deleted output: %+v", c)
	}

	f, _ := os.OpenFile(e.baseModel, os.O_WRONLY, 0)
	f.WriteAt([]byte("corrupt"), 100)
	f.Close()
	changes, _ = e.planJSON()
	if c := changes["model.base"]; c.Action != "replace" {
		t.Errorf("corrupted model: %+v", c)
	}

	if res := run(t, e.dir, e.env, "apply", "-auto-approve"); res.code != 0 {
		t.Fatalf("converging after the deleted output and the corrupted model: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}

	// Run every render again, slowly, and kill the CLI halfway.
	e.sim.SetFaults(comfysim.Faults{StepDelay: 150 * time.Millisecond})
	before := e.sim.Stats().Submits
	killHalfway(t, e, before)
	stateAtKill, _ := os.ReadFile(filepath.Join(e.dir, state.FileName))
	st = readState(t, e.dir) // must still parse
	inFlight := 0
	for _, addr := range st.RenderAddresses() {
		if r, _ := st.FindRender(addr); r.Status == state.StatusSubmitted {
			inFlight++
		}
	}
	submittedBeforeKill := e.sim.Stats().Submits - before
	e.sim.SetFaults(comfysim.Faults{StepDelay: time.Millisecond})
	final := run(t, e.dir, e.env, "apply", "-auto-approve")
	if final.code != 0 {
		t.Fatalf("apply after the kill: exit %d\n%s\n%s", final.code, final.stdout, final.stderr)
	}
	if inFlight > 0 && !strings.Contains(final.stdout, "resume") {
		t.Errorf("%d render(s) were in flight at the kill; the next apply should resume them:\n%s", inFlight, final.stdout)
	}
	// Everything the killed apply submitted is re-attached to, never submitted again;
	// instances it never reached were not asked for again (-replace applied once).
	if total := e.sim.Stats().Submits - before; total != submittedBeforeKill {
		t.Errorf("renders submitted: %d before the kill, %d in all; a resumed apply must not submit again\nstate at the kill:\n%s\nresumed apply:\n%s", submittedBeforeKill, total, stateAtKill, final.stdout)
	}
	st = readState(t, e.dir)
	for _, addr := range st.RenderAddresses() {
		if r, _ := st.FindRender(addr); r.Status != state.StatusSucceeded {
			t.Errorf("%s is %s after recovery", addr, r.Status)
		}
	}
	if res := run(t, e.dir, e.env, "plan", "-detailed-exitcode"); res.code != 0 {
		t.Errorf("plan after recovery: exit %d\n%s", res.code, res.stdout)
	}
}

// killHalfway starts `apply -replace=render.sweep` and SIGKILLs it once the state shows
// one render finished and another in flight (submitted, recorded, not yet fetched).
func killHalfway(t *testing.T, e *estateEnv, before int) {
	t.Helper()
	cmd := exec.Command(binPath, "apply", "-auto-approve", "-replace=render.sweep")
	cmd.Dir, cmd.Env = e.dir, append(os.Environ(), e.env...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && !(e.sim.Stats().Submits-before >= 2 && hasStatus(e.dir, state.StatusSubmitted)) {
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	// The provider subprocess notices its parent died and exits by itself.
	time.Sleep(300 * time.Millisecond)
}

func hasStatus(dir, status string) bool {
	st, err := state.Load(filepath.Join(dir, state.FileName))
	if err != nil {
		return false
	}
	for _, addr := range st.RenderAddresses() {
		if r, _ := st.FindRender(addr); r.Status == status {
			return true
		}
	}
	return false
}
