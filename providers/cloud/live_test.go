package cloud

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
)

// TestLiveCloudReadOnly runs against real Comfy Cloud when COMFY_CLOUD_API_KEY is set
// (COMFY_CLOUD_URL overrides the URL) and skips cleanly otherwise. It only reads
// (system stats, node catalogue, model folders, a model's presence), so it spends no
// credits.
func TestLiveCloudReadOnly(t *testing.T) {
	if os.Getenv(APIKeyEnv) == "" {
		t.Skip(APIKeyEnv + " not set")
	}
	cfg := map[string]any{}
	if u := os.Getenv("COMFY_CLOUD_URL"); u != "" {
		cfg["url"] = u
	}
	logs := &syncBuffer{}
	p := plugins.ServeInProcess(t, New("live", hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Trace})), "cloud")
	raw, _ := json.Marshal(cfg)
	if _, d := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: raw}); d.HasErrors() {
		t.Fatal(d)
	}
	defer p.Stop(context.Background())
	ctx := testCtx(t)
	inv, d := p.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true, ModelFolders: []string{"checkpoints", "loras", "diffusion_models"}})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if inv.ServerVersion == "" || len(inv.ObjectInfoJSON) == 0 {
		t.Errorf("inventory without version or catalogue: %q, %d bytes", inv.ServerVersion, len(inv.ObjectInfoJSON))
	}
	for f, l := range inv.Models {
		t.Logf("%s: %d models (folder missing: %v)", f, len(l.Names), l.FolderMissing)
	}
	plan, d := p.PlanModel(ctx, plugins.ModelSpec{Folder: "loras", File: "comfyhcl-live-test-absent.safetensors",
		Source: "https://huggingface.co/comfyhcl/absent/resolve/main/comfyhcl-live-test-absent.safetensors"})
	if d.HasErrors() || plan.Status != plugins.ModelAbsent || !plan.Installable {
		t.Errorf("plan of an absent model: %+v %v", plan, d)
	}
	assertNoSecret(t, "log", logs.String(), os.Getenv(APIKeyEnv))
}
