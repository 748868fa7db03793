package cloud

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestCloudStatusesGiveTheirFix switches the simulator to 401, 402 and 429 and checks
// each diagnostic names the fix, and that the key appears in none of them.
func TestCloudStatusesGiveTheirFix(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, logs := serve(t, sim.URL(), map[string]any{"partner_key": "pk-PARTNER-77aa"})
	ctx := testCtx(t)
	cases := []struct {
		status int
		want   []string
	}{
		{401, []string{"401", "COMFY_CLOUD_API_KEY", "platform.comfy.org"}},
		{402, []string{"402", "out of credits", "Add credits"}},
		{429, []string{"429", "concurrency", "subscription"}},
	}
	for _, c := range cases {
		sim.SetFaults(comfysim.Faults{CloudStatus: c.status})
		_, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(txt2img)})
		if !d.HasErrors() {
			t.Fatalf("HTTP %d: submit succeeded", c.status)
		}
		text := d.Err().Error()
		for _, w := range c.want {
			if !strings.Contains(text, w) {
				t.Errorf("HTTP %d: diagnostic lacks %q:\n%s", c.status, w, text)
			}
		}
		assertNoSecret(t, "diagnostic", text, testKey, "pk-PARTNER-77aa")
	}
	sim.SetFaults(comfysim.Faults{CloudStatus: 401})
	_, d := p.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true})
	if !d.HasErrors() || !strings.Contains(d.Err().Error(), "COMFY_CLOUD_API_KEY") {
		t.Errorf("inventory under 401: %v", d)
	}
	assertNoSecret(t, "provider log", logs.String(), testKey, "pk-PARTNER-77aa")
}

// TestWrongKeyIs401 uses a key the simulator does not know.
func TestWrongKeyIs401(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), map[string]any{"api_key": "sk-wrong-key-0000"})
	_, d := p.PlanModel(testCtx(t), plugins.ModelSpec{Folder: "checkpoints", File: "x.safetensors"})
	if !d.HasErrors() || !strings.Contains(d[0].Detail, "rejected the API key") {
		t.Fatalf("diags %v", d)
	}
	assertNoSecret(t, "diagnostic", d.Err().Error(), "sk-wrong-key-0000")
}

func TestConfigureWithoutKey(t *testing.T) {
	t.Setenv(APIKeyEnv, "")
	p := plugins.ServeInProcess(t, New("test", nil), "cloud")
	_, d := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: []byte(`{}`)})
	if !d.HasErrors() {
		t.Fatal("configured without a key")
	}
	for _, w := range []string{APIKeyEnv, "platform.comfy.org"} {
		if !strings.Contains(d[0].Detail, w) {
			t.Errorf("diagnostic lacks %q: %v", w, d)
		}
	}
	if len(d[0].AttributePath) != 1 || d[0].AttributePath[0] != "api_key" {
		t.Errorf("attribute path %v", d[0].AttributePath)
	}
}

func TestConfigureKeyFromEnvironment(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	t.Setenv(APIKeyEnv, testKey)
	p := plugins.ServeInProcess(t, New("test", nil), "cloud")
	raw, _ := json.Marshal(map[string]any{"url": sim.URL(), "concurrency": 3})
	res, d := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: raw})
	if d.HasErrors() || res.Concurrency != 3 {
		t.Fatalf("configure: %+v %v", res, d)
	}
	defer p.Stop(context.Background())
	inv, d := p.Inventory(testCtx(t), plugins.InventoryRequest{ModelFolders: []string{"checkpoints"}})
	if d.HasErrors() || len(inv.Models["checkpoints"].Names) != 1 {
		t.Fatalf("inventory with the key from the environment: %+v %v", inv, d)
	}
	md, _ := p.Metadata(context.Background())
	sensitive := map[string]bool{}
	for _, a := range md.ConfigSchema {
		sensitive[a.Name] = a.Sensitive
	}
	if !sensitive["api_key"] || !sensitive["partner_key"] || sensitive["url"] {
		t.Errorf("schema sensitivity %v", sensitive)
	}
}

func TestConfigureBadTimeout(t *testing.T) {
	p := New("test", nil)
	_, d := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: []byte(`{"api_key":"k","timeout":"soon"}`)})
	if !d.HasErrors() || d[0].AttributePath[0] != "timeout" {
		t.Fatalf("diags %v", d)
	}
}
