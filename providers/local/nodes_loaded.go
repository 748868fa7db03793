package local

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// A pack installed on disk does nothing until ComfyUI restarts. The plan says so when
// the server is up and none of its classes comes from custom_nodes/<name>, so that a
// render failing on a missing class is not the first sign.

type loadedModules struct {
	modules map[string]bool // python_module values of the server's classes; nil = unknown
	at      time.Time
}

var (
	loadedMu    sync.Mutex
	loadedCache = map[string]loadedModules{} // server base URL -> modules
)

// serverModules asks the server which Python modules its classes come from, once per
// few seconds per server; nil when it cannot tell (server down, odd answer).
func (p *Provider) serverModules(ctx context.Context) map[string]bool {
	cfg := p.settings()
	base := strings.TrimRight(cfg.URL, "/")
	defer installLocks.lock("object_info:" + base)()
	loadedMu.Lock()
	lm, ok := loadedCache[base]
	loadedMu.Unlock()
	if ok && time.Since(lm.at) < folderListTTL {
		return lm.modules
	}
	lm = loadedModules{modules: fetchModules(ctx, base, cfg), at: time.Now()}
	loadedMu.Lock()
	loadedCache[base] = lm
	loadedMu.Unlock()
	return lm.modules
}

func fetchModules(ctx context.Context, base string, cfg Config) map[string]bool {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/object_info", nil)
	if err != nil {
		return nil
	}
	for k, v := range cfg.Headers {
		req.Header.Set(k, v)
	}
	if cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	var info map[string]struct {
		PythonModule string `json:"python_module"`
	}
	if json.NewDecoder(io.LimitReader(resp.Body, 256<<20)).Decode(&info) != nil {
		return nil
	}
	mods := map[string]bool{}
	for _, c := range info {
		mods[c.PythonModule] = true
	}
	return mods
}

// definesNodes reports whether a pack registers node classes (a frontend-only pack
// never shows up in /object_info).
func definesNodes(dir string) bool {
	f, err := os.Open(filepath.Join(dir, "__init__.py"))
	if err != nil {
		return false
	}
	defer f.Close()
	b, _ := io.ReadAll(io.LimitReader(f, 1<<20))
	return bytes.Contains(b, []byte("NODE_CLASS_MAPPINGS")) || bytes.Contains(b, []byte("comfy_entrypoint"))
}

// notLoaded marks a present pack the running server has not loaded yet.
func (p *Provider) notLoaded(ctx context.Context, dir, name string, plan *plugins.NodePlan) plugins.Diagnostics {
	if plan.Status != plugins.NodePresent || !definesNodes(dir) {
		return nil
	}
	mods := p.serverModules(ctx)
	if mods == nil || mods["custom_nodes."+name] {
		return nil
	}
	plan.RestartRequired = true
	return plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: name + " is installed but not loaded",
		Detail: "The server lists no node class from custom_nodes/" + name + ". Restart ComfyUI to load it; if it was restarted already, its import failed: see the server log (`comfyhcl logs` or the console) for \"IMPORT FAILED\"."}}
}
