package comfysim

import (
	"io"
	"net/http"
	"strings"
)

// Control routes under /comfysim/ (no ComfyUI has them) let tests drive a
// simulator running in another process, e.g. `comfyhcl sim`:
//
//	GET  /comfysim/stats    Stats as JSON
//	GET  /comfysim/faults   the current Faults (durations in ns)
//	POST /comfysim/faults   body: ParseFault specs, one per line ("" clears all)
//	POST /comfysim/restart  reload custom_nodes/ and drop sockets (Server.Restart)

func (s *Server) controlRoutes(mux *http.ServeMux) {
	h := func(pattern string, fn http.HandlerFunc) { mux.HandleFunc(pattern, s.counted(pattern, fn)) }
	h("GET /comfysim/stats", func(w http.ResponseWriter, r *http.Request) { writeJSON(w, 200, s.Stats()) })
	h("GET /comfysim/faults", func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		f := s.faults
		s.mu.Unlock()
		writeJSON(w, 200, f)
	})
	h("POST /comfysim/faults", func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(io.LimitReader(r.Body, 1<<16))
		if err != nil {
			writeEmpty(w, 400)
			return
		}
		var f Faults
		for _, line := range strings.Split(string(b), "\n") {
			if line = strings.TrimSpace(line); line == "" {
				continue
			}
			if err := ParseFault(line, &f); err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
		}
		s.SetFaults(f)
		writeJSON(w, 200, f)
	})
	h("POST /comfysim/restart", func(w http.ResponseWriter, r *http.Request) {
		writeEmpty(w, 200)
		go s.Restart()
	})
}
