package cloud

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestImportTaskFailureAndTransientPolls: a 503 while polling is retried; a failed
// task is a diagnostic on `source` with Cloud's message. The import request carries
// the folder as its second tag.
func TestImportTaskFailureAndTransientPolls(t *testing.T) {
	var polls atomic.Int32
	var tags []any
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != testKey {
			w.WriteHeader(401)
			return
		}
		switch r.URL.Path {
		case "/api/experiment/models/loras":
			w.WriteHeader(404)
			w.Write([]byte(`{"code": "folder_not_found", "message": "Folder 'loras' not found"}`))
		case "/api/assets/download":
			var body map[string]any
			json.NewDecoder(r.Body).Decode(&body)
			tags, _ = body["tags"].([]any)
			w.WriteHeader(202)
			w.Write([]byte(`{"task_id": "t1", "status": "created", "message": "queued"}`))
		case "/api/tasks/t1":
			if polls.Add(1) == 1 {
				w.WriteHeader(503)
				return
			}
			w.Write([]byte(`{"task_id": "t1", "status": "failed", "message": "upstream answered 404"}`))
		default:
			w.WriteHeader(404)
		}
	}))
	defer api.Close()
	p, _ := serve(t, api.URL, nil)
	m := plugins.ModelSpec{Folder: "loras", File: "x.safetensors", Source: "https://www.civitai.com/api/download/models/123"}
	plan, d := p.PlanModel(testCtx(t), m)
	if d.HasErrors() || plan.Status != plugins.ModelAbsent || !plan.Installable {
		t.Fatalf("plan: %+v %v", plan, d)
	}
	_, d = p.ApplyModel(testCtx(t), m, nil)
	if !d.HasErrors() || !strings.Contains(d[0].Detail, "upstream answered 404") || d[0].AttributePath[0] != "source" {
		t.Fatalf("apply: %v", d)
	}
	if polls.Load() != 2 || len(tags) != 2 || tags[0] != "models" || tags[1] != "loras" {
		t.Errorf("polls %d, tags %v", polls.Load(), tags)
	}
}
