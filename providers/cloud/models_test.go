package cloud

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestModelImportViaAssetsDownload: absent -> installable by asset import; apply posts
// /api/assets/download and polls the task; then the model is present by name.
func TestModelImportViaAssetsDownload(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, logs := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	m := plugins.ModelSpec{Folder: "loras", File: "detail.safetensors",
		Source: "https://huggingface.co/acme/detail/resolve/main/detail.safetensors"}

	plan, d := p.PlanModel(ctx, m)
	if d.HasErrors() || plan.Status != plugins.ModelAbsent || !plan.Installable || plan.InstallMethod != methodAssetImport {
		t.Fatalf("plan before import: %+v %v", plan, d)
	}
	var progress []string
	final, d := p.ApplyModel(ctx, m, func(ip plugins.InstallProgress) { progress = append(progress, ip.Message) })
	if d.HasErrors() || !final.Done || final.Size != 4096 {
		t.Fatalf("apply: %+v %v", final, d)
	}
	if len(progress) == 0 || !strings.Contains(strings.Join(progress, "\n"), "import") {
		t.Errorf("progress %q", progress)
	}
	if _, err := os.Stat(filepath.Join(sim.ModelsDir(), "loras", "detail.safetensors")); err != nil {
		t.Errorf("the simulator did not receive the import: %v", err)
	}
	if n := sim.Stats().Requests["POST /api/assets/download"]; n != 1 {
		t.Errorf("%d import requests, want 1", n)
	}
	plan, d = p.PlanModel(ctx, m)
	if d.HasErrors() || plan.Status != plugins.ModelPresentByName {
		t.Fatalf("plan after import: %+v %v", plan, d)
	}
	again, d := p.ApplyModel(ctx, m, nil)
	if d.HasErrors() || !again.Done || sim.Stats().Requests["POST /api/assets/download"] != 1 {
		t.Errorf("second apply should not import again: %+v %v", again, d)
	}
	assertNoSecret(t, "provider log", logs.String(), testKey)
}

func TestModelSourcesCloudCannotImport(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	cases := map[string]plugins.ModelSpec{
		"other host": {Folder: "loras", File: "a.safetensors", Source: "https://example.com/files/a.safetensors?token=s3cret"},
		"no source":  {Folder: "loras", File: "a.safetensors"},
		"bad scheme": {Folder: "loras", File: "a.safetensors", Source: "ftp://huggingface.co/a.safetensors"},
	}
	for name, m := range cases {
		plan, d := p.PlanModel(ctx, m)
		if !d.HasErrors() || plan.Installable || d[0].AttributePath[0] != "source" {
			t.Errorf("%s: plan %+v %v", name, plan, d)
		}
		if _, d := p.ApplyModel(ctx, m, nil); !d.HasErrors() {
			t.Errorf("%s: apply succeeded", name)
		}
	}
	_, d := p.PlanModel(ctx, cases["other host"])
	if text := d.Err().Error(); !strings.Contains(text, "huggingface.co and civitai.com") || strings.Contains(text, "s3cret") {
		t.Errorf("other host: %s", text)
	}
	if n := sim.Stats().Requests["POST /api/assets/download"]; n != 0 {
		t.Errorf("%d imports posted for refused sources", n)
	}
	// The default checkpoint is there: present by name, whatever sha256 is declared.
	plan, d := p.PlanModel(ctx, plugins.ModelSpec{Folder: "checkpoints", File: "sim_base.safetensors", SHA256: strings.Repeat("ab", 32)})
	if d.HasErrors() || plan.Status != plugins.ModelPresentByName {
		t.Errorf("present model: %+v %v", plan, d)
	}
	if _, d := p.PlanModel(ctx, plugins.ModelSpec{Folder: "loras", File: "../x.safetensors"}); !d.HasErrors() {
		t.Error("traversal in file accepted")
	}
	// A Hugging Face URL whose file name differs from `file` gets a warning.
	_, d = p.PlanModel(ctx, plugins.ModelSpec{Folder: "loras", File: "mine.safetensors",
		Source: "https://huggingface.co/acme/x/resolve/main/theirs.safetensors", Headers: map[string]string{"Authorization": "Bearer hf"}})
	if d.HasErrors() || len(d) != 2 {
		t.Errorf("warnings %v", d)
	}
	_, d = p.PlanModel(ctx, plugins.ModelSpec{Folder: "loras", File: "x.safetensors", Source: "https://huggingface.co/acme/x/blob/main/x.safetensors"})
	if d.HasErrors() || len(d) != 1 || !strings.Contains(d[0].Detail, "/resolve/") {
		t.Errorf("blob URL: %v", d)
	}
}

func TestPlanNodeRefused(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	for _, n := range []plugins.NodeSpec{{Registry: "comfyui-impact-pack", Version: "8.0.0"}, {Git: "https://github.com/acme/pack", Ref: "main"}} {
		_, d := p.PlanNode(ctx, n)
		if !d.HasErrors() || !strings.Contains(d[0].Summary, "cannot install node packs") || !strings.Contains(d[0].Detail, "object_info") {
			t.Errorf("plan node %+v: %v", n, d)
		}
		if _, d := p.ApplyNode(ctx, n, nil); !d.HasErrors() {
			t.Errorf("apply node %+v succeeded", n)
		}
	}
}
