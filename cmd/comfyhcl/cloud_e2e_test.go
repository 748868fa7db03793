package main

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core/state"
)

const cloudE2EKey = "sk-e2e-CLOUD-key-5d8e1f"

// startCloudSim runs a cloud-flavour simulator (API on 127.0.0.1, signed storage on
// 127.0.0.2) that accepts cloudE2EKey.
func startCloudSim(t *testing.T) *comfysim.Server {
	t.Helper()
	srv, err := comfysim.New(comfysim.Options{Flavor: "cloud", APIKey: cloudE2EKey})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// cloudProject copies testdata/cloud (plus the named extra files, with ".off" removed)
// into a temp dir.
func cloudProject(t *testing.T, extra ...string) string {
	t.Helper()
	dir := t.TempDir()
	for _, name := range append([]string{"main.comfy.hcl", "workflow.json"}, extra...) {
		data, err := os.ReadFile(filepath.Join("testdata", "cloud", name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, strings.TrimSuffix(name, ".off")), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestCloudPlanApply runs the built binary against the cloud simulator with the key in
// COMFY_CLOUD_API_KEY: plan shows the model import and the render, apply imports the
// model through /api/assets/download and downloads the output through the signed
// storage listener (which refuses any request carrying the key), and a second plan has
// no changes. The key appears in no output, log or state.
func TestCloudPlanApply(t *testing.T) {
	sim := startCloudSim(t)
	dir := cloudProject(t)
	logPath := filepath.Join(t.TempDir(), "comfyhcl.log")
	env := []string{"COMFYHCL_VAR_url=" + sim.URL(), "COMFY_CLOUD_API_KEY=" + cloudE2EKey, "COMFYHCL_LOG_PATH=" + logPath}

	plan := run(t, dir, env, "plan")
	if plan.code != 0 || !strings.Contains(plan.stdout, "model.detail") || !strings.Contains(plan.stdout, "render.hero") {
		t.Fatalf("plan: exit %d\n%s\n%s", plan.code, plan.stdout, plan.stderr)
	}
	t.Logf("plan:\n%s", plan.stdout)
	apply := run(t, dir, env, "apply", "-auto-approve")
	t.Logf("apply:\n%s%s", apply.stdout, apply.stderr)
	if apply.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
	}
	st := readState(t, dir)
	inst, _ := st.FindRender("render.hero")
	if inst == nil || inst.Status != state.StatusSucceeded || len(inst.Outputs) != 1 {
		t.Fatalf("state after apply: %+v", inst)
	}
	out := inst.Outputs[0]
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(out.Path)))
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != out.SHA256 {
		t.Errorf("output on disk does not match its sha256 in state: %+v", out)
	}
	if st.Provider("cloud").Models["detail"] == nil {
		t.Errorf("the imported model is not in state under provider cloud")
	}
	stats := sim.Stats()
	if stats.Requests["POST /api/assets/download"] != 1 || stats.Requests["GET storage /o/{token}"] < 1 || stats.Submits != 1 {
		t.Errorf("simulator saw %+v", stats)
	}

	again := run(t, dir, env, "plan")
	if again.code != 0 || !strings.Contains(again.stdout, "No changes") {
		t.Fatalf("plan after apply should have no changes: exit %d\n%s\n%s", again.code, again.stdout, again.stderr)
	}
	logData, _ := os.ReadFile(logPath)
	stateData, _ := os.ReadFile(filepath.Join(dir, state.FileName))
	for what, text := range map[string]string{"plan output": plan.stdout + plan.stderr, "apply output": apply.stdout + apply.stderr,
		"log": string(logData), "state": string(stateData)} {
		if strings.Contains(text, cloudE2EKey) {
			t.Errorf("the API key leaked into the %s", what)
		}
	}
}

// TestCloudMissingKeyAndNodePack: without COMFY_CLOUD_API_KEY plan says where to get a
// key; a node block is a plan error because Cloud cannot install packs.
func TestCloudMissingKeyAndNodePack(t *testing.T) {
	sim := startCloudSim(t)
	dir := cloudProject(t)
	res := run(t, dir, []string{"COMFYHCL_VAR_url=" + sim.URL(), "COMFY_CLOUD_API_KEY="}, "plan")
	if res.code != 1 || !strings.Contains(res.stderr, "COMFY_CLOUD_API_KEY") || !strings.Contains(res.stderr, "platform.comfy.org") {
		t.Errorf("plan without a key: exit %d\n%s", res.code, res.stderr)
	}
	dir = cloudProject(t, "node.comfy.hcl.off")
	res = run(t, dir, []string{"COMFYHCL_VAR_url=" + sim.URL(), "COMFY_CLOUD_API_KEY=" + cloudE2EKey}, "plan")
	if res.code != 1 || !strings.Contains(res.stderr, "cannot install node packs") {
		t.Errorf("plan with a node pack: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	// A class Cloud does not have is a plan error too: packs cannot be added there.
	dir = cloudProject(t)
	wf, _ := os.ReadFile(filepath.Join(dir, "workflow.json"))
	wf = []byte(strings.Replace(string(wf), `"class_type": "VAEDecode"`, `"class_type": "ImpactSimpleDetectorSEGS"`, 1))
	os.WriteFile(filepath.Join(dir, "workflow.json"), wf, 0o644)
	res = run(t, dir, []string{"COMFYHCL_VAR_url=" + sim.URL(), "COMFY_CLOUD_API_KEY=" + cloudE2EKey}, "plan")
	if res.code != 1 || !strings.Contains(res.stderr, "ImpactSimpleDetectorSEGS") {
		t.Errorf("plan with a class Cloud lacks: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if n := sim.Stats().Submits; n != 0 {
		t.Errorf("%d submits during plans", n)
	}
}

// TestCloudQuickstartExample applies examples/cloud_quickstart against the cloud
// simulator (its checkpoint variable pointed at the simulator's model).
func TestCloudQuickstartExample(t *testing.T) {
	sim := startCloudSim(t)
	dir := copyExample(t, "cloud_quickstart")
	env := []string{"COMFYHCL_VAR_cloud_url=" + sim.URL(), "COMFYHCL_VAR_checkpoint=sim_base.safetensors", "COMFY_CLOUD_API_KEY=" + cloudE2EKey}
	apply := run(t, dir, env, "apply", "-auto-approve")
	if apply.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
	}
	inst, _ := readState(t, dir).FindRender("render.hero")
	if inst == nil || inst.Status != state.StatusSucceeded || len(inst.Outputs) != 1 ||
		!strings.HasPrefix(inst.Outputs[0].Path, "out/hero/cloud_quickstart/") {
		t.Fatalf("state after apply: %+v", inst)
	}
}

// TestCloudOutOfCredits: Cloud answers 402 to the submit; apply fails with the fix
// (add credits), the key nowhere in the output.
func TestCloudOutOfCredits(t *testing.T) {
	sim := startCloudSim(t)
	sim.SetFaults(comfysim.Faults{CloudStatus: 402})
	dir := cloudProject(t)
	env := []string{"COMFYHCL_VAR_url=" + sim.URL(), "COMFY_CLOUD_API_KEY=" + cloudE2EKey}
	apply := run(t, dir, env, "apply", "-auto-approve")
	if apply.code == 0 || !strings.Contains(apply.stderr, "out of credits") || !strings.Contains(apply.stderr, "platform.comfy.org") {
		t.Fatalf("apply under 402: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
	}
	if strings.Contains(apply.stdout+apply.stderr, cloudE2EKey) {
		t.Error("the API key leaked into the output")
	}
	if inst, _ := readState(t, dir).FindRender("render.hero"); inst != nil && inst.Status == state.StatusSucceeded {
		t.Errorf("render recorded as succeeded: %+v", inst)
	}
}
