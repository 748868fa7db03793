package cloud

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestRuntimeErrorClassesGetTheirFix: Cloud's execution-time error classes come back
// with what to do about them.
func TestRuntimeErrorClassesGetTheirFix(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{Faults: comfysim.Faults{FailClass: "KSampler", FailType: "InsufficientFundsError", FailMessage: "balance is 0"}})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	sub, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(txt2img)})
	if d.HasErrors() {
		t.Fatal(d)
	}
	var last plugins.Event
	if d := p.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID}, func(ev plugins.Event) { last = ev }); d.HasErrors() {
		t.Fatal(d)
	}
	if last.Error == nil || !strings.Contains(last.Error.ExceptionMessage, "balance is 0") || !strings.Contains(last.Error.ExceptionMessage, "add credits") {
		t.Fatalf("error %+v", last.Error)
	}
}

// Test403AndStorage403: a 403 from the API says the plan may lack API access; a 403
// from signed storage says the URL expired, not that.
func Test403AndStorage403(t *testing.T) {
	storage := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(403) }))
	defer storage.Close()
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/prompt":
			w.WriteHeader(403)
			w.Write([]byte(`{"code": "forbidden", "message": "API access requires a paid plan"}`))
		case "/api/history_v2/p1":
			w.Write([]byte(`{"p1": {"outputs": {"9": {"images": [{"filename": "a.png", "subfolder": "", "type": "output"}]}}, "status": {"status_str": "success", "completed": true, "messages": []}}}`))
		case "/api/view":
			http.Redirect(w, r, storage.URL+"/o/a.png", http.StatusFound)
		default:
			w.WriteHeader(404)
		}
	}))
	defer api.Close()
	p, _ := serve(t, api.URL, nil)
	ctx := testCtx(t)
	_, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(txt2img)})
	if text := d.Err().Error(); !strings.Contains(text, "403") || !strings.Contains(text, "API access") || !strings.Contains(text, "paid plan") {
		t.Errorf("submit under 403: %s", text)
	}
	_, d = p.Fetch(ctx, plugins.FetchRequest{PromptID: "p1", OutputDir: t.TempDir()})
	if text := d.Err().Error(); !strings.Contains(text, "signed storage URL") || strings.Contains(text, "API access") {
		t.Errorf("fetch under storage 403: %s", text)
	}
}

// TestPlanAsksOncePerFolder: the model list is read once per folder for many models.
func TestPlanAsksOncePerFolder(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	before := sim.Stats().Requests["GET /api/experiment/models/{folder}"]
	for _, f := range []string{"a", "b", "c", "d"} {
		if _, d := p.PlanModel(ctx, plugins.ModelSpec{Folder: "checkpoints", File: f + ".safetensors",
			Source: "https://huggingface.co/x/y/resolve/main/" + f + ".safetensors"}); d.HasErrors() {
			t.Fatal(d)
		}
	}
	if n := sim.Stats().Requests["GET /api/experiment/models/{folder}"] - before; n != 1 {
		t.Errorf("%d model list requests for one folder", n)
	}
}
