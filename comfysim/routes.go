package comfysim

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// routes builds the mux. Every route is served at /X and /api/X, as
// ComfyUI's add_routes does (comfyui-api.md 1.1).
func (s *Server) routes() http.Handler {
	mux := http.NewServeMux()
	both := func(method, path string, h http.HandlerFunc) {
		for _, p := range []string{path, "/api" + path} {
			pattern := method + " " + p
			mux.HandleFunc(pattern, s.counted(pattern, h))
		}
	}
	// prompt and queue
	both("POST", "/prompt", s.handlePostPrompt)
	both("GET", "/prompt", s.handleGetPrompt)
	both("GET", "/queue", s.handleGetQueue)
	both("POST", "/queue", s.handlePostQueue)
	both("POST", "/interrupt", s.handleInterrupt)
	both("POST", "/free", s.handleFree)
	both("GET", "/history", s.handleGetHistory)
	both("GET", "/history/{id}", s.handleGetHistoryID)
	both("POST", "/history", s.handlePostHistory)
	// catalogue and info
	both("GET", "/object_info", s.handleObjectInfo)
	both("GET", "/object_info/{class}", s.handleObjectInfoClass)
	both("GET", "/system_stats", s.handleSystemStats)
	both("GET", "/models", s.handleModels)
	both("GET", "/models/{folder}", s.handleModelsFolder)
	both("GET", "/embeddings", s.handleEmbeddings)
	both("GET", "/experiment/models", s.handleExperimentModelsRoot)
	both("GET", "/experiment/models/{folder}", s.handleExperimentModelsLocal)
	both("GET", "/view_metadata/{folder}", s.handleViewMetadata)
	both("GET", "/extensions", s.handleExtensions)
	both("GET", "/features", s.handleFeatures)
	// files
	both("GET", "/view", s.handleView)
	both("POST", "/upload/image", s.handleUploadImage)
	both("POST", "/upload/mask", s.handleUploadMask)
	// events
	both("GET", "/ws", s.handleWS)
	s.managerRoutes(both)
	// /internal is a sub-application: no /api twin (comfyui-api.md 1.1)
	mux.HandleFunc("GET /internal/logs", s.counted("GET /internal/logs", s.handleInternalLogs))
	mux.HandleFunc("GET /internal/logs/raw", s.counted("GET /internal/logs/raw", s.handleInternalLogsRaw))
	mux.HandleFunc("PATCH /internal/logs/subscribe", s.counted("PATCH /internal/logs/subscribe", s.handleLogsSubscribe))
	mux.HandleFunc("GET /internal/folder_paths", s.counted("GET /internal/folder_paths", s.handleFolderPaths))
	mux.HandleFunc("GET /internal/files/{type}", s.counted("GET /internal/files/{type}", s.handleInternalFiles))
	s.estateRoutes(mux)
	mux.HandleFunc("GET /{$}", s.counted("GET /", s.handleIndex))
	mux.HandleFunc("/", s.counted("NOTFOUND", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("404: Not Found"))
	}))
	return originGuard(mux)
}

// estateRoutes are the services beside ComfyUI: the model file host and
// the Comfy Registry (both flavours).
func (s *Server) estateRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /files/{size}/{name...}", s.counted("GET /files/{size}/{name...}", s.handleModelFile))
	s.registryRoutes(mux)
	s.controlRoutes(mux)
}

func (s *Server) counted(pattern string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s.count(func(st *Stats) { st.Requests[pattern]++ })
		if d := s.currentFaults().Latency; d > 0 {
			select {
			case <-time.After(d):
			case <-r.Context().Done():
				return
			}
		}
		h(w, r)
	}
}

// writeJSON answers like aiohttp's web.json_response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeText500(w)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// writeEmpty answers like aiohttp's bare web.Response(status=N).
func writeEmpty(w http.ResponseWriter, status int) {
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(status)
}

// writeText500 is aiohttp's answer to an unhandled exception in a handler.
func writeText500(w http.ResponseWriter) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write([]byte("500 Internal Server Error\n\nServer got itself in trouble"))
}

func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte("<!DOCTYPE html>\n<html><head><title>ComfyUI (comfysim)</title></head><body>comfysim: a ComfyUI protocol simulator</body></html>\n"))
}

// decodeBody reads an optional JSON body; empty body => nil map, no error.
func decodeBody(r *http.Request) (map[string]any, error) {
	dec := json.NewDecoder(r.Body)
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		if err.Error() == "EOF" {
			return nil, nil
		}
		return nil, err
	}
	m, _ := v.(map[string]any)
	return m, nil
}

func isAPIPath(p string) bool { return strings.HasPrefix(p, "/api/") }
