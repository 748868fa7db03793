package comfysim

import (
	"encoding/binary"
	"encoding/json"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Smaller local routes of comfyui-api.md 1.11.

// handleExperimentModelsLocal: [{name, pathIndex, modified, created, size}].
func (s *Server) handleExperimentModelsLocal(w http.ResponseWriter, r *http.Request) {
	folder := r.PathValue("folder")
	i := folderIndex(folder)
	if i < 0 {
		writeEmpty(w, 404)
		return
	}
	out := []any{}
	for idx, d := range modelFolders[i].dirs {
		root := filepath.Join(s.modelsDir, d)
		for _, name := range s.listModels(folder) {
			st, err := os.Stat(filepath.Join(root, filepath.FromSlash(name)))
			if err != nil {
				continue
			}
			t := float64(st.ModTime().UnixNano()) / 1e9
			out = append(out, map[string]any{"name": name, "pathIndex": idx, "modified": t, "created": t, "size": st.Size()})
		}
	}
	writeJSON(w, 200, out)
}

func (s *Server) handleExperimentModelsRoot(w http.ResponseWriter, r *http.Request) {
	out := []any{}
	for _, f := range modelFolders {
		if f.name == "configs" || f.name == "custom_nodes" {
			continue
		}
		var dirs []string
		for _, d := range f.dirs {
			dirs = append(dirs, filepath.Join(s.modelsDir, d))
		}
		out = append(out, map[string]any{"name": f.name, "folders": dirs})
	}
	writeJSON(w, 200, out)
}

// handleViewMetadata returns a safetensors file's __metadata__, or 404.
func (s *Server) handleViewMetadata(w http.ResponseWriter, r *http.Request) {
	folder, name := r.PathValue("folder"), r.URL.Query().Get("filename")
	i := folderIndex(folder)
	if i < 0 || name == "" || !strings.HasSuffix(name, ".safetensors") || !s.modelExists(folder, name) {
		writeEmpty(w, 404)
		return
	}
	for _, d := range modelFolders[i].dirs {
		f, err := os.Open(filepath.Join(s.modelsDir, d, filepath.FromSlash(name)))
		if err != nil {
			continue
		}
		var n uint64
		err = binary.Read(f, binary.LittleEndian, &n)
		var hdr map[string]json.RawMessage
		if err == nil && n < 100<<20 {
			b := make([]byte, n)
			if _, err = f.Read(b); err == nil {
				err = json.Unmarshal(b, &hdr)
			}
		}
		f.Close()
		if md, ok := hdr["__metadata__"]; ok && err == nil {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			_, _ = w.Write(md)
			return
		}
	}
	writeEmpty(w, 404)
}

func (s *Server) handleFolderPaths(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{}
	for _, f := range modelFolders {
		var dirs []string
		for _, d := range f.dirs {
			dirs = append(dirs, filepath.Join(s.modelsDir, d))
		}
		out[f.name] = dirs
	}
	writeJSON(w, 200, out)
}

// handleInternalFiles: top-level file names of input|output|temp, newest first.
func (s *Server) handleInternalFiles(w http.ResponseWriter, r *http.Request) {
	typ := r.PathValue("type")
	dir := s.dirFor(typ)
	if dir == "" {
		writeJSON(w, 400, map[string]any{"error": "Invalid directory type"})
		return
	}
	ents, _ := os.ReadDir(dir)
	type fe struct {
		name string
		mt   int64
	}
	var files []fe
	for _, e := range ents {
		if info, err := e.Info(); err == nil && info.Mode().IsRegular() {
			files = append(files, fe{e.Name(), info.ModTime().UnixNano()})
		}
	}
	sort.SliceStable(files, func(i, j int) bool { return files[i].mt > files[j].mt })
	out := []string{}
	for _, f := range files {
		out = append(out, f.name)
	}
	writeJSON(w, 200, out)
}

// originGuard is ComfyUI's default origin check (no --enable-cors-header):
// a request with both Host and Origin, Host on loopback and a different
// Origin host, is refused with an empty 403.
func originGuard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if origin := r.Header.Get("Origin"); origin != "" && r.Host != "" {
			host := r.Host
			if h, _, err := net.SplitHostPort(host); err == nil {
				host = h
			}
			loop := host == "localhost"
			if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
				loop = true
			}
			if u, err := url.Parse(origin); loop && (err != nil || u.Host != r.Host) {
				writeEmpty(w, 403)
				return
			}
		}
		if r.ContentLength > maxUploadSize {
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = w.Write([]byte("413: Request Entity Too Large"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
