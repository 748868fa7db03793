package local

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// fakeManager is a ComfyUI server with ComfyUI-Manager (legacy v3 routes, or v4's /v2
// ones): installs are queued, run when the queue starts, and show up in the installed
// list and model lists one status poll later.
type fakeManager struct {
	v2        bool
	absent    bool     // a server without Manager
	forbidden bool     // security_level denies installs
	whitelist []string // model URLs Manager accepts

	mu        sync.Mutex
	installed map[string]installedPack
	models    map[string][]string
	queued    []map[string]any
	running   []map[string]any
	bodies    []string
}

func newFakeManager(t *testing.T, fm *fakeManager) *httptest.Server {
	if fm.installed == nil {
		fm.installed = map[string]installedPack{}
	}
	if fm.models == nil {
		fm.models = map[string][]string{"checkpoints": {}}
	}
	srv := httptest.NewServer(fm)
	t.Cleanup(srv.Close)
	return srv
}

func (fm *fakeManager) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	fm.mu.Lock()
	defer fm.mu.Unlock()
	path := r.URL.Path
	if strings.HasPrefix(path, "/models/") {
		list, ok := fm.models[strings.TrimPrefix(path, "/models/")]
		if !ok {
			http.Error(w, "folder_not_found", http.StatusNotFound)
			return
		}
		json.NewEncoder(w).Encode(list)
		return
	}
	if fm.absent {
		http.NotFound(w, r)
		return
	}
	if fm.v2 {
		if !strings.HasPrefix(path, "/v2/") {
			http.NotFound(w, r)
			return
		}
		path = strings.TrimPrefix(path, "/v2")
	}
	if r.Method == http.MethodPost && r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "simple form rejected", http.StatusBadRequest)
		return
	}
	var body map[string]any
	if r.Method == http.MethodPost {
		json.NewDecoder(r.Body).Decode(&body)
		b, _ := json.Marshal(body)
		fm.bodies = append(fm.bodies, path+" "+string(b))
	}
	switch path {
	case "/manager/version":
		w.Write([]byte("V3.37"))
	case "/customnode/installed":
		json.NewEncoder(w).Encode(fm.installed)
	case "/manager/queue/install", "/manager/queue/install_model", "/manager/queue/task":
		if fm.forbidden {
			http.Error(w, "A security error has occurred. Please check the terminal logs", http.StatusForbidden)
			return
		}
		task := body
		if path == "/manager/queue/task" {
			task, _ = body["params"].(map[string]any)
			task["kind"] = body["kind"]
		} else if path == "/manager/queue/install_model" {
			task["kind"] = "install-model"
		}
		if task["kind"] == "install-model" && !contains(fm.whitelist, task["url"]) {
			http.Error(w, "model not in the model list", http.StatusBadRequest)
			return
		}
		fm.queued = append(fm.queued, task)
	case "/manager/queue/start":
		fm.running, fm.queued = append(fm.running, fm.queued...), nil
	case "/manager/queue/status":
		st := managerStatus{Total: len(fm.running), InProgress: len(fm.running), Processing: len(fm.running) > 0}
		json.NewEncoder(w).Encode(st)
		fm.finish()
	default:
		http.NotFound(w, r)
	}
}

// finish completes the running tasks (after the status poll that saw them).
func (fm *fakeManager) finish() {
	for _, task := range fm.running {
		switch {
		case task["kind"] == "install-model":
			folder := strings.SplitN(task["save_path"].(string), "/", 2)[0]
			name := strings.TrimPrefix(strings.TrimPrefix(task["save_path"].(string), folder)+"/"+task["filename"].(string), "/")
			fm.models[folder] = append(fm.models[folder], name)
		case task["version"] == "unknown":
			fm.installed[task["id"].(string)] = installedPack{Ver: "0123456789abcdef", AuxID: "owner/" + task["id"].(string), Enabled: true}
		default:
			fm.installed[task["id"].(string)] = installedPack{Ver: task["selected_version"].(string), CNRID: task["id"].(string), Enabled: true}
		}
	}
	fm.running = nil
}

func contains(list []string, v any) bool {
	for _, s := range list {
		if s == v {
			return true
		}
	}
	return false
}
