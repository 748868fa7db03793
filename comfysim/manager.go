package comfysim

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// A ComfyUI-Manager (comfyui-api.md §4.2) on the local flavour, opt-in via
// Options.Manager: legacy v3 routes (/manager/queue/install, ...) and/or
// the integrated v4 routes (/v2/manager/queue/task, ...), at /X and /api/X.
// Installs come from the simulated registry and model host; packs load on
// POST .../manager/reboot, which also drops every WebSocket like a restart.

type managerTask struct {
	UIID     string         `json:"ui_id"`
	ClientID string         `json:"client_id,omitempty"`
	Kind     string         `json:"kind"`
	Params   map[string]any `json:"params"`
	Result   string         `json:"result,omitempty"`
	Status   string         `json:"status"` // pending | running | success | error
}

type manager struct {
	mu      sync.Mutex
	queue   []*managerTask
	history []*managerTask
	running bool
	done    int
	total   int
}

func (s *Server) managerRoutes(both func(method, path string, h http.HandlerFunc)) {
	legacy := s.opts.Manager == "legacy" || s.opts.Manager == "both"
	v2 := s.opts.Manager == "v2" || s.opts.Manager == "both"
	if legacy {
		for _, kind := range []string{"install", "uninstall", "update", "fix", "disable", "reinstall", "install_model"} {
			both("POST", "/manager/queue/"+kind, s.handleManagerLegacyTask(strings.ReplaceAll(kind, "_", "-")))
		}
		both("POST", "/manager/queue/start", s.handleManagerStart)
		both("POST", "/manager/queue/reset", s.handleManagerReset)
		both("GET", "/manager/queue/status", s.handleManagerStatus)
		both("POST", "/manager/reboot", s.handleManagerReboot)
		both("GET", "/manager/version", func(w http.ResponseWriter, r *http.Request) { writePlain(w, "V3.41") })
		both("GET", "/customnode/installed", s.handleManagerInstalled)
		both("GET", "/customnode/getlist", s.handleManagerGetList)
		both("GET", "/customnode/getmappings", s.handleManagerMappings)
	}
	if v2 {
		both("POST", "/v2/manager/queue/task", s.handleManagerV2Task)
		both("POST", "/v2/manager/queue/start", s.handleManagerStart)
		both("POST", "/v2/manager/queue/reset", s.handleManagerReset)
		both("GET", "/v2/manager/queue/status", s.handleManagerStatus)
		both("GET", "/v2/manager/queue/history", s.handleManagerHistory)
		both("POST", "/v2/manager/reboot", s.handleManagerReboot)
		both("GET", "/v2/manager/version", func(w http.ResponseWriter, r *http.Request) { writePlain(w, "V4.2.2") })
		both("GET", "/v2/customnode/installed", s.handleManagerInstalled)
		both("GET", "/v2/customnode/getmappings", s.handleManagerMappings)
	}
}

func writePlain(w http.ResponseWriter, s string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte(s))
}

func (s *Server) enqueueTask(t *managerTask) {
	m := &s.mgr
	m.mu.Lock()
	t.Status = "pending"
	m.queue = append(m.queue, t)
	m.total++
	m.mu.Unlock()
}

// handleManagerLegacyTask: the body is the task's params (legacy API).
func (s *Server) handleManagerLegacyTask(kind string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			writeEmpty(w, 400) // Manager rejects "simple form" posts
			return
		}
		body, err := decodeBody(r)
		if err != nil || body == nil {
			writeEmpty(w, 400)
			return
		}
		if kind == "install-model" && !s.managerModelAllowed(body) {
			writePlain403(w)
			return
		}
		ui, _ := body["ui_id"].(string)
		s.enqueueTask(&managerTask{UIID: ui, Kind: kind, Params: body})
		writeEmpty(w, 200)
	}
}

func writePlain403(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(403)
	_, _ = w.Write([]byte("A security error has occurred. Please check the terminal logs"))
}

func (s *Server) handleManagerV2Task(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	kind, _ := body["kind"].(string)
	params, _ := body["params"].(map[string]any)
	switch kind {
	case "install", "uninstall", "update", "update-comfyui", "fix", "disable", "enable", "install-model":
	default:
		err = http.ErrNotSupported
	}
	if err != nil || params == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(400)
		_, _ = w.Write([]byte("Invalid task data"))
		return
	}
	if kind == "install-model" && !s.managerModelAllowed(params) {
		writePlain403(w)
		return
	}
	ui, _ := body["ui_id"].(string)
	cid, _ := body["client_id"].(string)
	s.enqueueTask(&managerTask{UIID: ui, ClientID: cid, Kind: kind, Params: params})
	writeEmpty(w, 200)
}

// handleManagerStart: 200 started, 201 already running.
func (s *Server) handleManagerStart(w http.ResponseWriter, r *http.Request) {
	m := &s.mgr
	m.mu.Lock()
	if m.running {
		m.mu.Unlock()
		writeEmpty(w, 201)
		return
	}
	m.running = true
	m.mu.Unlock()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.managerWorker()
	}()
	writeEmpty(w, 200)
}

func (s *Server) handleManagerReset(w http.ResponseWriter, r *http.Request) {
	m := &s.mgr
	m.mu.Lock()
	m.queue, m.total, m.done = nil, 0, 0
	m.mu.Unlock()
	writeEmpty(w, 200)
}

func (s *Server) handleManagerStatus(w http.ResponseWriter, r *http.Request) {
	m := &s.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	inProgress := 0
	if m.running && len(m.queue) > 0 {
		inProgress = 1
	}
	writeJSON(w, 200, map[string]any{"total_count": m.total, "done_count": m.done, "in_progress_count": inProgress,
		"pending_count": len(m.queue), "is_processing": m.running})
}

func (s *Server) handleManagerHistory(w http.ResponseWriter, r *http.Request) {
	m := &s.mgr
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]any{}
	for _, t := range m.history {
		if ui := r.URL.Query().Get("ui_id"); ui != "" && ui != t.UIID {
			continue
		}
		out[t.UIID] = t
	}
	writeJSON(w, 200, map[string]any{"history": out})
}

// handleManagerReboot reloads custom_nodes/ and drops every socket, as a
// ComfyUI restart would.
func (s *Server) handleManagerReboot(w http.ResponseWriter, r *http.Request) {
	s.loadCustomNodes()
	writeEmpty(w, 200)
	go func() {
		time.Sleep(10 * time.Millisecond)
		s.hub.closeAll()
	}()
}

func (s *Server) managerWorker() {
	m := &s.mgr
	for {
		m.mu.Lock()
		if len(m.queue) == 0 {
			m.running = false
			res := map[string]any{"status": "done", "nodepack_result": map[string]any{}, "model_result": map[string]any{},
				"total_count": m.total, "done_count": m.done}
			for _, t := range m.history {
				key := "nodepack_result"
				if t.Kind == "install-model" {
					key = "model_result"
				}
				res[key].(map[string]any)[t.UIID] = t.Result
			}
			m.mu.Unlock()
			s.hub.send("cm-queue-status", res, "")
			return
		}
		t := m.queue[0]
		t.Status = "running"
		total, done := m.total, m.done
		m.mu.Unlock()
		s.hub.send("cm-task-started", map[string]any{"ui_id": t.UIID, "kind": t.Kind, "timestamp": time.Now().UTC().Format(time.RFC3339)}, "")
		s.hub.send("cm-queue-status", map[string]any{"status": "in_progress", "target": t.UIID, "ui_target": "nodepack_manager", "total_count": total, "done_count": done}, "")
		err := s.runManagerTask(t)
		m.mu.Lock()
		t.Result, t.Status = "success", "success"
		if err != nil {
			t.Result, t.Status = err.Error(), "error"
		}
		m.queue = m.queue[1:]
		m.done++
		m.history = append(m.history, t)
		m.mu.Unlock()
		s.hub.send("cm-task-completed", map[string]any{"ui_id": t.UIID, "kind": t.Kind, "result": t.Result,
			"status": map[string]any{"status_str": t.Status, "completed": t.Status == "success"}}, "")
	}
}
