package comfysim

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// Cloud's only model "install": POST /api/assets/download {source_url,
// tags?, user_metadata?} for huggingface.co / civitai.com sources, 202 with
// a task polled at GET /api/tasks/{task_id}; 200 with the asset when it is
// already stored. The simulator "downloads" deterministic bytes into the
// model folder named by the second tag (default checkpoints).

type assetTask struct {
	ID      string `json:"task_id"`
	Status  string `json:"status"` // created | running | completed | failed
	Message string `json:"message"`
	Asset   any    `json:"result,omitempty"`
}

type assetTasks struct {
	mu sync.Mutex
	m  map[string]*assetTask
}

func (s *Server) assetFolder(tags []any) string {
	if len(tags) >= 2 {
		if t, ok := tags[1].(string); ok && folderIndex(t) >= 0 {
			return t
		}
	}
	return "checkpoints"
}

func assetInfo(folder, name, src string, size int64) map[string]any {
	h := sha256.Sum256([]byte(src))
	return map[string]any{"id": hex.EncodeToString(h[:8]), "name": name, "tags": []string{"models", folder},
		"asset_hash": "blake3:" + hex.EncodeToString(h[:]), "size": size, "source_url": src}
}

func (s *Server) handleAssetsDownload(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	src, _ := body["source_url"].(string)
	u, perr := url.Parse(src)
	if err != nil || perr != nil || src == "" {
		cloudError(w, 400, "invalid_request", "source_url is required")
		return
	}
	host := strings.TrimPrefix(u.Hostname(), "www.")
	if host != "huggingface.co" && host != "civitai.com" {
		cloudError(w, 400, "unsupported_source", "only huggingface.co and civitai.com URLs can be imported")
		return
	}
	tags, _ := body["tags"].([]any)
	folder := s.assetFolder(tags)
	name := path.Base(u.Path)
	if !strings.Contains(name, ".") {
		name += ".safetensors"
	}
	target := filepath.Join(s.modelsDir, folder, name)
	const size = 4096
	if fileExists(target) {
		writeJSON(w, 200, assetInfo(folder, name, src, size))
		return
	}
	s.assets.mu.Lock()
	if s.assets.m == nil {
		s.assets.m = map[string]*assetTask{}
	}
	id := fmt.Sprintf("task-%x", hashString(src+time.Now().String()))
	t := &assetTask{ID: id, Status: "created", Message: "Download queued"}
	s.assets.m[id] = t
	s.assets.mu.Unlock()
	resp := map[string]any{"task_id": id, "status": "created", "message": "Download queued"}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.setAsset(t, "running", "Downloading", nil)
		select {
		case <-time.After(s.currentFaults().StepDelay * 5):
		case <-s.stop:
			return
		}
		_ = os.MkdirAll(filepath.Dir(target), 0o755)
		if err := os.WriteFile(target, ModelFileBytes(src, size), 0o644); err != nil {
			s.setAsset(t, "failed", err.Error(), nil)
			return
		}
		s.setAsset(t, "completed", "Download complete", assetInfo(folder, name, src, size))
	}()
	writeJSON(w, 202, resp)
}

func (s *Server) setAsset(t *assetTask, status, msg string, asset any) {
	s.assets.mu.Lock()
	t.Status, t.Message, t.Asset = status, msg, asset
	s.assets.mu.Unlock()
}

func (s *Server) handleTask(w http.ResponseWriter, r *http.Request) {
	s.assets.mu.Lock()
	t, ok := s.assets.m[r.PathValue("id")]
	var cp assetTask
	if ok {
		cp = *t
	}
	s.assets.mu.Unlock()
	if !ok {
		cloudError(w, 404, "not_found", "Task not found")
		return
	}
	writeJSON(w, 200, cp)
}
