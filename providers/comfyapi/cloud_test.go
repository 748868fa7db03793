package comfyapi

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

func TestCloudRoutes(t *testing.T) {
	c, err := New(Config{BaseURL: "https://cloud.example/", Flavor: FlavorCloud, APIKey: "k"})
	if err != nil {
		t.Fatal(err)
	}
	for local, want := range map[string]string{
		"/prompt":             "/api/prompt",
		"/history":            "/api/history_v2",
		"/history/abc":        "/api/history_v2/abc",
		"/models":             "/api/experiment/models",
		"/models/loras":       "/api/experiment/models/loras",
		"/view":               "/api/view",
		"/job/abc/status":     "/api/job/abc/status",
		"/historyish/unknown": "/api/historyish/unknown",
	} {
		if got := c.route(local); got != want {
			t.Errorf("route(%s) = %s, want %s", local, got, want)
		}
	}
	ws := c.wsURL()
	if !strings.HasPrefix(ws, "wss://cloud.example/ws?") || !strings.Contains(ws, "token=k") || !strings.Contains(ws, "clientId="+c.ClientID()) {
		t.Errorf("ws url %s", ws)
	}
	if strings.Contains(redactURL(ws), "token=k") {
		t.Errorf("redacted url still has the key: %s", redactURL(ws))
	}
	local, _ := New(Config{BaseURL: "http://127.0.0.1:8188"})
	if local.route("/history/x") != "/history/x" || !strings.HasPrefix(local.wsURL(), "ws://127.0.0.1:8188/ws?clientId=") {
		t.Errorf("local routing changed: %s %s", local.route("/history/x"), local.wsURL())
	}
}

func TestCloudModelsAliasesAndShapes(t *testing.T) {
	f := newFakeComfy(t, "", "")
	f.routes["/api/experiment/models/diffusion_models"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		w.Write([]byte(`{"code": "folder_not_found", "message": "no such folder"}`))
	}
	f.routes["/api/experiment/models/unet"] = func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"name": "flux1-dev.safetensors", "pathIndex": 0}]`))
	}
	f.routes["/api/experiment/models/loras"] = func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(404)
		w.Write([]byte(`{"code": "folder_not_found", "message": "empty"}`))
	}
	f.routes["/api/experiment/models/checkpoints"] = func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[]`))
	}
	c := f.client(t, func(cfg *Config) { cfg.Flavor, cfg.APIKey = FlavorCloud, "k" })
	ctx := testCtx(t)
	names, err := c.Models(ctx, "unet")
	if err != nil || len(names) != 1 || names[0] != "flux1-dev.safetensors" {
		t.Fatalf("unet via alias: %v, %v", names, err)
	}
	if _, err := c.Models(ctx, "loras"); !errors.Is(err, ErrFolderNotFound) {
		t.Fatalf("folder_not_found: %v", err)
	}
	if names, err := c.Models(ctx, "checkpoints"); err != nil || len(names) != 0 {
		t.Fatalf("empty: %v, %v", names, err)
	}
}

func TestClassifyJobState(t *testing.T) {
	for raw, want := range map[string]string{
		"success": StatusSuccess, "error": StatusError, "non_retryable_error": StatusError,
		"lost": StatusError, "cancelled": StatusInterrupted,
	} {
		if got, terminal := classifyJobState(raw); !terminal || got != want {
			t.Errorf("%s: %s %v", raw, got, terminal)
		}
	}
	for _, raw := range []string{"submitted", "queued_limited", "executing", "cancel_requested", "erroring", ""} {
		if _, terminal := classifyJobState(raw); terminal {
			t.Errorf("%s treated as terminal", raw)
		}
	}
}

// A Cloud run whose socket says nothing useful (clientId ignored, events
// lost) still ends through the job status endpoint, with Cloud's "video"
// output key, and the socket carried the token parameter.
func TestCloudWaitReconcilesWithJobStatus(t *testing.T) {
	for _, final := range []string{"success", "non_retryable_error", "lost", "cancelled"} {
		t.Run(final, func(t *testing.T) {
			f := newFakeComfy(t, "ws_observer_other_client.jsonl", "")
			f.tr.promptID = "cloud-job-1"
			var polls atomic.Int32
			var token atomic.Value
			f.routes["/ws"] = func(w http.ResponseWriter, r *http.Request) {
				token.Store(r.URL.Query().Get("token"))
				f.serveWS(w, r)
			}
			f.routes["/api/prompt"] = func(w http.ResponseWriter, r *http.Request) {
				if r.Header.Get("X-Api-Key") != "k" {
					w.WriteHeader(401)
					return
				}
				w.Write([]byte(`{"prompt_id": "cloud-job-1", "number": 0, "node_errors": {}}`))
			}
			f.routes["/api/job/cloud-job-1/status"] = func(w http.ResponseWriter, r *http.Request) {
				state := "executing"
				if polls.Add(1) >= 3 {
					state = final
				}
				fmt.Fprintf(w, `{"status": %q, "error_message": "boom"}`, state)
			}
			f.routes["/api/history_v2/cloud-job-1"] = func(w http.ResponseWriter, r *http.Request) {
				if final != "success" || polls.Load() < 3 {
					w.Write([]byte(`{}`))
					return
				}
				w.Write([]byte(`{"cloud-job-1": {"prompt": {"priority": 0}, "outputs": {"7": {"video": [{"filename": "v.mp4", "subfolder": "", "type": "output"}]}}, "status": {"status_str": "success", "completed": true, "messages": []}}}`))
			}
			c := f.client(t, func(cfg *Config) { cfg.Flavor, cfg.APIKey = FlavorCloud, "k" })
			ctx := testCtx(t)
			res, err := c.Submit(ctx, invertGraph(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			out, err := c.Wait(ctx, res.PromptID, nil)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := classifyJobState(final)
			if out.Status != want {
				t.Fatalf("status %s, want %s", out.Status, want)
			}
			if final == "success" && (len(out.Outputs) != 1 || out.Outputs[0].Key != "video") {
				t.Fatalf("outputs %+v", out.Outputs)
			}
			if final != "success" && (out.Error == nil || out.Error.ExceptionMessage != "boom") {
				t.Fatalf("error %+v", out.Error)
			}
			if token.Load() != "k" {
				t.Errorf("ws token %v", token.Load())
			}
		})
	}
}

func TestClientIDReusable(t *testing.T) {
	fresh, _ := New(Config{BaseURL: "http://127.0.0.1:1"})
	again, _ := New(Config{BaseURL: "http://127.0.0.1:1", ClientID: fresh.ClientID()})
	other, _ := New(Config{BaseURL: "http://127.0.0.1:1"})
	if again.ClientID() != fresh.ClientID() || other.ClientID() == fresh.ClientID() {
		t.Fatalf("ids %s %s %s", fresh.ClientID(), again.ClientID(), other.ClientID())
	}
}
