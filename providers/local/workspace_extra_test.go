package local

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func TestExtraModelPaths(t *testing.T) {
	ws, other, shared := t.TempDir(), t.TempDir(), t.TempDir()
	yaml := "a111:\n    base_path: " + other + "\n    checkpoints: models/Stable-diffusion\n    loras: |\n        models/Lora\n        models/LyCORIS\n" +
		"shared:\n    base_path: " + shared + "\n    is_default: true\n    vae: vae_here\n    unet: unets\n" +
		"broken: just a string\n"
	os.WriteFile(filepath.Join(ws, extraModelPathsFile), []byte(yaml), 0o644)
	ckpt, lora, unet := testBytes(300), testBytes(301), testBytes(302)
	writeModel(t, other, "models/Stable-diffusion/sd/x.safetensors", ckpt)
	writeModel(t, other, "models/LyCORIS/y.safetensors", lora)
	writeModel(t, shared, "unets/f.safetensors", unet)
	h, srv := newModelHost(t, 2000)
	p := wsProvider(t, ws, "", "")
	ctx := context.Background()

	for _, m := range []plugins.ModelSpec{
		{Folder: "checkpoints", File: "sd/x.safetensors", SHA256: sumHex(ckpt)},
		{Folder: "loras", File: "y.safetensors", SHA256: sumHex(lora)},
		{Folder: "diffusion_models", File: "f.safetensors", SHA256: sumHex(unet)},
	} {
		for range 2 { // the second plan answers from the hash cache (absolute keys)
			if plan, diags := p.PlanModel(ctx, m); diags.HasErrors() || plan.Status != plugins.ModelPresent {
				t.Fatalf("%s/%s: plan = %+v %v", m.Folder, m.File, plan, diags)
			}
		}
	}
	if _, ok := loadHashCache(ws).Entries[filepath.Join(other, "models", "LyCORIS", "y.safetensors")]; !ok {
		t.Fatalf("cache entries = %v", loadHashCache(ws).Entries)
	}
	vae := plugins.ModelSpec{Folder: "vae", File: "v.safetensors", Source: srv.URL + "/v", SHA256: sumHex(h.content)}
	if plan, _ := p.PlanModel(ctx, vae); plan.Status != plugins.ModelAbsent {
		t.Fatalf("vae plan = %+v", plan)
	}
	if _, diags := p.ApplyModel(ctx, vae, nil); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if _, err := os.Stat(filepath.Join(shared, "vae_here", "v.safetensors")); err != nil {
		t.Fatalf("the is_default section is where installs go: %v", err)
	}
	assertAbsent(t, filepath.Join(ws, "models", "vae", "v.safetensors"))
}
