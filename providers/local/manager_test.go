package local

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() { managerPoll = time.Millisecond }

func TestManagerNodeInstall(t *testing.T) {
	for _, v2 := range []bool{false, true} {
		t.Run(fmt.Sprintf("v2=%v", v2), func(t *testing.T) {
			fm := &fakeManager{v2: v2}
			srv := newFakeManager(t, fm)
			p := wsProvider(t, "", srv.URL, "")
			ctx := context.Background()
			spec := plugins.NodeSpec{Registry: "comfyui-impact-pack", Version: "8.8.1"}
			plan, diags := p.PlanNode(ctx, spec)
			if diags.HasErrors() || plan.Status != plugins.NodeAbsent || plan.InstallMethod != methodManager || !plan.RestartRequired {
				t.Fatalf("plan = %+v %v", plan, diags)
			}
			var reports []plugins.InstallProgress
			res, diags := p.ApplyNode(ctx, spec, func(ip plugins.InstallProgress) { reports = append(reports, ip) })
			if diags.HasErrors() || !res.Done || res.Version != "8.8.1" || !res.RestartRequired || len(reports) == 0 {
				t.Fatalf("apply = %+v %v (reports %d)", res, diags, len(reports))
			}
			if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodePresent {
				t.Fatalf("plan after apply = %+v", plan)
			}
			spec.Version = "8.9.0"
			if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodeDifferent || plan.InstalledVersion != "8.8.1" {
				t.Fatalf("plan for a new version = %+v", plan)
			}
			fm.mu.Lock()
			defer fm.mu.Unlock()
			want := `/manager/queue/install {"channel":"default","id":"comfyui-impact-pack","mode":"remote","selected_version":"8.8.1"`
			if v2 {
				want = `/manager/queue/task {"client_id":`
			}
			if len(fm.bodies) == 0 || !strings.HasPrefix(fm.bodies[0], want) {
				t.Fatalf("first POST = %q, want prefix %q", fm.bodies, want)
			}
		})
	}
}

func TestManagerGitPackAndRefusals(t *testing.T) {
	fm := &fakeManager{}
	srv := newFakeManager(t, fm)
	p := wsProvider(t, "", srv.URL, "")
	ctx := context.Background()
	spec := plugins.NodeSpec{Git: "https://github.com/owner/ComfyUI-Thing.git", Ref: "0123456789ab"}
	plan, diags := p.PlanNode(ctx, spec)
	if plan.Status != plugins.NodeAbsent || len(diags) != 1 || diags[0].Severity != plugins.SeverityWarning {
		t.Fatalf("plan = %+v %v, want absent with a warning about refs", plan, diags)
	}
	res, diags := p.ApplyNode(ctx, spec, nil)
	if diags.HasErrors() || res.Commit != "0123456789abcdef" {
		t.Fatalf("apply = %+v %v", res, diags)
	}
	if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodePresent {
		t.Fatalf("plan after apply = %+v (short ref matches the installed commit)", plan)
	}

	fm.mu.Lock()
	fm.forbidden = true
	fm.mu.Unlock()
	_, diags = p.ApplyNode(ctx, plugins.NodeSpec{Registry: "other", Version: "1.0.0"}, nil)
	if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "security_level") {
		t.Fatalf("forbidden install: %v", diags)
	}
}

func TestNoWorkspaceNoManager(t *testing.T) {
	fm := &fakeManager{absent: true, models: map[string][]string{"checkpoints": {"sd/a.safetensors"}}}
	srv := newFakeManager(t, fm)
	p := wsProvider(t, "", srv.URL, "")
	ctx := context.Background()

	plan, diags := p.PlanModel(ctx, plugins.ModelSpec{Folder: "checkpoints", File: "sd/a.safetensors", SHA256: sumHex([]byte("x"))})
	if diags.HasErrors() || plan.Status != plugins.ModelPresentByName {
		t.Fatalf("present by name: %+v %v", plan, diags)
	}
	spec := plugins.ModelSpec{Folder: "checkpoints", File: "sd/b.safetensors", Source: "https://hf.co/x/b.safetensors?download=true"}
	plan, diags = p.PlanModel(ctx, spec)
	want := "comfy model download --url 'https://hf.co/x/b.safetensors?download=true' --relative-path models/checkpoints/sd --filename b.safetensors"
	if plan.Status != plugins.ModelAbsent || plan.Installable || !diags.HasErrors() || !strings.Contains(diags.Err().Error(), want) {
		t.Fatalf("absent: %+v %v\nwant the command %s", plan, diags, want)
	}
	if _, diags = p.ApplyModel(ctx, spec, nil); !diags.HasErrors() || !strings.Contains(diags.Err().Error(), want) {
		t.Fatalf("apply: %v", diags)
	}
	if plan, diags := p.PlanModel(ctx, plugins.ModelSpec{Folder: "loras", File: "l.safetensors"}); plan.Status != plugins.ModelAbsent || !diags.HasErrors() {
		t.Fatalf("missing folder: %+v %v", plan, diags)
	}
	_, diags = p.PlanNode(ctx, plugins.NodeSpec{Registry: "comfyui-impact-pack", Version: "8.8.1"})
	if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "comfy node install comfyui-impact-pack@8.8.1") {
		t.Fatalf("node plan: %v", diags)
	}
}

func TestManagerModelInstall(t *testing.T) {
	listed := "https://huggingface.co/x/listed.safetensors"
	fm := &fakeManager{v2: true, whitelist: []string{listed}}
	srv := newFakeManager(t, fm)
	p := wsProvider(t, "", srv.URL, "")
	ctx := context.Background()
	spec := plugins.ModelSpec{Folder: "checkpoints", File: "listed.safetensors", Source: listed}
	plan, diags := p.PlanModel(ctx, spec)
	if plan.Status != plugins.ModelAbsent || !plan.Installable || plan.InstallMethod != methodManager || diags.HasErrors() {
		t.Fatalf("plan = %+v %v", plan, diags)
	}
	if res, diags := p.ApplyModel(ctx, spec, nil); diags.HasErrors() || !res.Done {
		t.Fatalf("apply = %+v %v", res, diags)
	}
	if plan, _ = p.PlanModel(ctx, spec); plan.Status != plugins.ModelPresentByName {
		t.Fatalf("plan after apply = %+v", plan)
	}
	secret := plugins.ModelSpec{Folder: "checkpoints", File: "gated.safetensors", Source: listed, Headers: map[string]string{"Authorization": "Bearer hf_x"}}
	if plan, diags := p.PlanModel(ctx, secret); plan.Installable || !diags.HasErrors() || strings.Contains(diags.Err().Error(), "hf_x") {
		t.Fatalf("model with headers: %+v %v", plan, diags)
	}
	other := plugins.ModelSpec{Folder: "checkpoints", File: "other.safetensors", Source: "https://example.com/other.safetensors"}
	_, diags = p.ApplyModel(ctx, other, nil)
	if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "model not in the model list") || !strings.Contains(diags.Err().Error(), "comfy model download") {
		t.Fatalf("unlisted model: %v", diags)
	}
}

// TestPlanListsEachFolderOnce: planning many models of one folder costs one listing.
func TestPlanListsEachFolderOnce(t *testing.T) {
	fm := &fakeManager{absent: true, models: map[string][]string{"loras": {"a.safetensors"}}}
	var listings atomic.Int32
	counting := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/models/loras" {
			listings.Add(1)
		}
		fm.ServeHTTP(w, r)
	}))
	defer counting.Close()
	p := wsProvider(t, "", counting.URL, "")
	for i := range 20 {
		plan, _ := p.PlanModel(context.Background(), plugins.ModelSpec{Folder: "loras", File: fmt.Sprintf("m%d.safetensors", i%3)})
		if plan.Status != plugins.ModelAbsent {
			t.Fatalf("plan %d = %+v", i, plan)
		}
	}
	if n := listings.Load(); n != 1 {
		t.Fatalf("the folder was listed %d times", n)
	}
}
