package comfysim

import (
	"net/http"
	"strconv"
)

func (s *Server) handleGetQueue(w http.ResponseWriter, r *http.Request) {
	run, pend := s.queue.snapshot((*queueItem).tuple)
	resp := newOmap()
	resp.set("queue_running", run)
	resp.set("queue_pending", pend)
	writeJSON(w, 200, resp)
}

// handlePostQueue: {"clear": true} and/or {"delete": [ids]}; 200 empty.
func (s *Server) handlePostQueue(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if err != nil {
		writeText500(w)
		return
	}
	s.applyQueueOps(body)
	writeEmpty(w, 200)
}

// applyQueueOps runs {"clear"} and {"delete"} on pending items and
// returns (deleted ids, cleared).
func (s *Server) applyQueueOps(body map[string]any) ([]string, bool) {
	deleted := []string{}
	cleared := false
	if pyTruth(body["clear"]) {
		ids := s.queue.clear()
		s.jobs.cancel(ids)
		deleted = append(deleted, ids...)
		cleared = true
	}
	if del, ok := body["delete"].([]any); ok {
		for _, d := range del {
			if id := pyStr(d); s.queue.delete([]string{id}) {
				s.jobs.cancel([]string{id})
				deleted = append(deleted, id)
			}
		}
	}
	return deleted, cleared
}

// handleInterrupt: optional {"prompt_id"}; always 200 empty.
func (s *Server) handleInterrupt(w http.ResponseWriter, r *http.Request) {
	body, _ := decodeBody(r)
	pid := ""
	if v, ok := body["prompt_id"]; ok && v != nil {
		pid = pyStr(v)
	}
	s.setInterrupt(pid)
	writeEmpty(w, 200)
}

func (s *Server) handleFree(w http.ResponseWriter, r *http.Request) {
	if _, err := decodeBody(r); err != nil {
		writeText500(w)
		return
	}
	writeEmpty(w, 200)
}

func (s *Server) handleGetHistory(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	maxItems, hasMax := 0, false
	if v := q.Get("max_items"); q.Has("max_items") {
		n, err := strconv.Atoi(v)
		if err != nil {
			writeText500(w)
			return
		}
		maxItems, hasMax = n, true
	}
	offset := -1
	if q.Has("offset") {
		n, err := strconv.Atoi(q.Get("offset"))
		if err != nil {
			writeText500(w)
			return
		}
		offset = n
	}
	writeJSON(w, 200, s.hist.list(maxItems, hasMax, offset))
}

func (s *Server) handleGetHistoryID(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	out := newOmap()
	if e, ok := s.hist.get(id); ok {
		out.set(id, e)
	}
	writeJSON(w, 200, out)
}

func (s *Server) handlePostHistory(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if err != nil {
		writeText500(w)
		return
	}
	if pyTruth(body["clear"]) {
		s.hist.clear()
	}
	if del, ok := body["delete"].([]any); ok {
		for _, d := range del {
			s.hist.delete(pyStr(d))
		}
	}
	writeEmpty(w, 200)
}
