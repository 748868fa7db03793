package comfysim

import (
	"net/http"
	"strings"
)

// The cloud flavour (comfyui-api.md §2): everything under /api, X-API-Key,
// history_v2, experiment/models objects, job status endpoints, /api/view
// as a 302 to a second "storage" listener, 401/402/429 switches, tier
// concurrency and a WebSocket that ignores clientId.

var tierSlots = map[string]int{"": 1, "standard": 1, "creator": 3, "pro": 5}

func (s *Server) cloud() bool { return s.flavor == "cloud" }

// StorageURL is the cloud flavour's second listener (signed download URLs).
func (s *Server) StorageURL() string { return s.storageURL }

// APIKey is the key the cloud flavour accepts.
func (s *Server) APIKey() string { return s.opts.APIKey }

func cloudError(w http.ResponseWriter, status int, code, msg string) {
	writeJSON(w, status, map[string]any{"code": code, "message": msg})
}

func (s *Server) cloudRoutes() http.Handler {
	mux := http.NewServeMux()
	h := func(pattern string, public bool, fn http.HandlerFunc) {
		mux.HandleFunc(pattern, s.counted(pattern, s.cloudAuth(public, fn)))
	}
	h("POST /api/prompt", false, s.handleCloudPrompt)
	h("GET /api/prompt", false, s.handleGetPrompt)
	h("GET /api/queue", false, s.handleCloudQueue)
	h("POST /api/queue", false, s.handleCloudPostQueue)
	h("POST /api/interrupt", false, s.handleInterrupt)
	h("GET /api/history_v2", false, s.handleHistoryV2)
	h("GET /api/history_v2/{id}", false, s.handleHistoryV2ID)
	h("POST /api/history", false, s.handlePostHistory)
	h("GET /api/job/{id}/status", false, s.handleJobStatus)
	h("GET /api/jobs", false, s.handleJobs)
	h("GET /api/jobs/{id}", false, s.handleJob)
	h("GET /api/object_info", false, s.handleObjectInfo)
	h("GET /api/object_info/{class}", false, s.handleObjectInfoClass)
	h("GET /api/system_stats", true, s.handleCloudSystemStats)
	h("GET /api/experiment/models", true, s.handleExperimentModels)
	h("GET /api/experiment/models/{folder}", false, s.handleExperimentModelsFolder)
	h("GET /api/embeddings", false, s.handleEmbeddings)
	h("GET /api/features", true, s.handleFeatures)
	h("GET /api/user", false, func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 200, map[string]any{"status": "active"})
	})
	h("GET /api/view", false, s.handleCloudView)
	h("POST /api/assets/download", false, s.handleAssetsDownload)
	h("GET /api/tasks/{id}", false, s.handleTask)
	h("POST /api/upload/image", false, s.handleUploadImage)
	h("POST /api/upload/mask", false, s.handleUploadMask)
	h("GET /ws", false, s.handleWS)
	h("GET /api/ws", false, s.handleWS)
	s.estateRoutes(mux)
	mux.HandleFunc("/", s.counted("NOTFOUND", func(w http.ResponseWriter, r *http.Request) {
		cloudError(w, 404, "not_found", "Not Found")
	}))
	return mux
}

// cloudAuth checks X-API-Key (or the WebSocket's token parameter) and the
// 401/402/429 switch (Faults.CloudStatus).
func (s *Server) cloudAuth(public bool, fn http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		status := s.currentFaults().CloudStatus
		if !public {
			key := r.Header.Get("X-API-Key")
			if key == "" && strings.HasSuffix(r.URL.Path, "/ws") {
				key = r.URL.Query().Get("token")
			}
			if key != s.opts.APIKey || status == 401 {
				cloudError(w, 401, "unauthorized", "Invalid or missing API key. Create one at https://platform.comfy.org/profile/api-keys")
				return
			}
		}
		if r.Method == "POST" && r.URL.Path == "/api/prompt" {
			switch status {
			case 402:
				writeJSON(w, 402, map[string]any{"error": errObj("insufficient_credits", "Insufficient credits", "Your account does not have enough credits to run this workflow.", nil), "node_errors": map[string]any{}})
				return
			case 429:
				writeJSON(w, 429, map[string]any{"error": errObj("inactive_subscription", "User has not paid", "An active subscription is required to use the API.", nil), "node_errors": map[string]any{}})
				return
			}
		}
		fn(w, r)
	}
}

// handleCloudPrompt: number and front are accepted but ignored.
func (s *Server) handleCloudPrompt(w http.ResponseWriter, r *http.Request) {
	s.handlePostPrompt(w, r)
}

func (s *Server) handleCloudSystemStats(w http.ResponseWriter, r *http.Request) {
	rec := &captureWriter{header: http.Header{}}
	s.handleSystemStats(rec, r)
	v, err := parseOrdered(rec.body)
	o, _ := v.(*omap)
	if err != nil || o == nil {
		writeText500(w)
		return
	}
	sys, _ := o.get("system")
	if so, ok := sys.(*omap); ok {
		so.set("comfyui_frontend_version", "1.27.10")
		so.set("workflow_templates_version", "0.1.95")
		so.set("cloud_version", "comfysim")
	}
	writeJSON(w, 200, o)
}

func (s *Server) handleExperimentModels(w http.ResponseWriter, r *http.Request) {
	out := []any{}
	for _, f := range modelFolders {
		if f.name == "configs" || f.name == "custom_nodes" {
			continue
		}
		out = append(out, map[string]any{"name": f.name, "folders": []string{"/comfy/models/" + f.name}})
	}
	writeJSON(w, 200, out)
}

// handleExperimentModelsFolder answers [{name, pathIndex}], and 404
// folder_not_found for an unknown or empty folder.
func (s *Server) handleExperimentModelsFolder(w http.ResponseWriter, r *http.Request) {
	folder := r.PathValue("folder")
	names := s.listModels(folder)
	if folderIndex(folder) < 0 || len(names) == 0 {
		cloudError(w, 404, "folder_not_found", "Folder '"+folder+"' not found")
		return
	}
	out := make([]any, len(names))
	for i, n := range names {
		out[i] = map[string]any{"name": n, "pathIndex": 0}
	}
	writeJSON(w, 200, out)
}

// captureWriter records a handler's answer.
type captureWriter struct {
	header http.Header
	status int
	body   []byte
}

func (c *captureWriter) Header() http.Header { return c.header }
func (c *captureWriter) WriteHeader(s int)   { c.status = s }
func (c *captureWriter) Write(b []byte) (int, error) {
	c.body = append(c.body, b...)
	return len(b), nil
}
