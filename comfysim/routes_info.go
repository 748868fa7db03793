package comfysim

import (
	"net/http"
	"runtime"
)

func (s *Server) handleObjectInfo(w http.ResponseWriter, r *http.Request) {
	out := newOmap()
	for _, c := range s.cat.order {
		e, _ := s.entry(c)
		out.set(c, e)
	}
	for _, c := range s.custom.classes() {
		if e, ok := s.custom.entry(c); ok {
			out.set(c, e)
		}
	}
	writeJSON(w, 200, out)
}

// handleObjectInfoClass answers {} (200) for an unknown class, never 404.
func (s *Server) handleObjectInfoClass(w http.ResponseWriter, r *http.Request) {
	out := newOmap()
	c := r.PathValue("class")
	if e, ok := s.entry(c); ok {
		out.set(c, e)
	}
	writeJSON(w, 200, out)
}

// handleSystemStats has the shape of fixture system_stats.json.
func (s *Server) handleSystemStats(w http.ResponseWriter, r *http.Request) {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	const ram = 32 << 30
	free := int64(ram) - int64(ms.Sys)
	sys := newOmap()
	for _, kv := range []struct {
		k string
		v any
	}{
		{"os", "posix"}, {"ram_total", int64(ram)}, {"ram_free", free},
		{"comfyui_version", "0.3.64"}, {"required_frontend_version", "1.27.10"},
		{"installed_templates_version", nil}, {"required_templates_version", "0.1.95"},
		{"python_version", "3.11.2 (comfysim, Go " + runtime.Version() + ")"},
		{"pytorch_version", "2.8.0+cpu"}, {"embedded_python", false},
		{"argv", []string{"main.py", "--cpu", "--listen", "127.0.0.1"}},
	} {
		sys.set(kv.k, kv.v)
	}
	dev := newOmap()
	for _, kv := range []struct {
		k string
		v any
	}{
		{"name", "cpu"}, {"type", "cpu"}, {"index", nil},
		{"vram_total", int64(ram)}, {"vram_free", free},
		{"torch_vram_total", int64(ram)}, {"torch_vram_free", free},
	} {
		dev.set(kv.k, kv.v)
	}
	out := newOmap()
	out.set("system", sys)
	out.set("devices", []any{dev})
	writeJSON(w, 200, out)
}

func (s *Server) handleExtensions(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, []string{})
}

func (s *Server) handleFeatures(w http.ResponseWriter, r *http.Request) {
	out := newOmap()
	out.set("supports_preview_metadata", true)
	out.set("max_upload_size", maxUploadSize)
	writeJSON(w, 200, out)
}
