package comfysim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"github.com/google/uuid"
)

// sensitiveExtraData are stripped from extra_data before it is stored.
var sensitiveExtraData = []string{"api_key_comfy_org", "auth_token_comfy_org"}

// handlePostPrompt is server.py post_prompt.
func (s *Server) handlePostPrompt(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxUploadSize+1))
	if err != nil {
		writeText500(w)
		return
	}
	var raw any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		s.count(func(st *Stats) { st.Rejects++ })
		writeText500(w) // aiohttp: json.loads raised
		return
	}
	req, ok := raw.(map[string]any)
	if !ok {
		s.count(func(st *Stats) { st.Rejects++ })
		writeText500(w)
		return
	}
	var number json.Number
	var numF float64
	if n, has := req["number"]; has && !s.cloud() {
		f, err := pyFloatOf(n)
		if err != nil {
			writeText500(w)
			return
		}
		numF, number = f, pyFloatNumber(f)
	} else {
		n := s.queue.nextNumber(pyTruth(req["front"]) && !s.cloud())
		numF, number = float64(n), json.Number(strconv.FormatInt(n, 10))
	}
	pv, has := req["prompt"]
	if !has {
		s.count(func(st *Stats) { st.Rejects++ })
		writeJSON(w, 400, map[string]any{"error": errObj("no_prompt", "No prompt provided", "No prompt provided", nil), "node_errors": map[string]any{}})
		return
	}
	prompt, ok := pv.(map[string]any)
	if !ok {
		s.count(func(st *Stats) { st.Rejects++ })
		writeText500(w)
		return
	}
	promptID := uuid.NewString()
	if v, has := req["prompt_id"]; has && v != nil {
		promptID = pyStr(v)
	}
	var partial []string
	if pt, ok := req["partial_execution_targets"].([]any); ok {
		partial = []string{}
		for _, t := range pt {
			partial = append(partial, pyStr(t))
		}
	}
	verr, good, nodeErrors := s.validatePrompt(prompt, partial)
	extra, _ := req["extra_data"].(map[string]any)
	if extra == nil {
		extra = map[string]any{}
	}
	if cid, has := req["client_id"]; has {
		extra["client_id"] = cid
	}
	if verr != nil {
		s.count(func(st *Stats) { st.Rejects++ })
		writeJSON(w, 400, map[string]any{"error": verr, "node_errors": nodeErrors})
		return
	}
	sensitive := map[string]any{}
	for _, k := range sensitiveExtraData {
		if v, ok := extra[k]; ok {
			sensitive[k] = v
			delete(extra, k)
		}
	}
	sortIDs(good)
	it := &queueItem{number: number, numF: numF, id: promptID, prompt: prompt, extra: extra, outputs: good, sensitive: sensitive, created: nowMS()}
	s.logf("got prompt")
	s.jobs.add(it)
	s.queue.put(it)
	s.count(func(st *Stats) { st.Submits++ })
	resp := newOmap()
	resp.set("prompt_id", promptID)
	resp.set("number", number)
	resp.set("node_errors", nodeErrors)
	writeJSON(w, 200, resp)
}

func (s *Server) handleGetPrompt(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"exec_info": map[string]any{"queue_remaining": s.queue.remaining()}})
}

func sortIDs(ids []string) {
	for i := 1; i < len(ids); i++ {
		for j := i; j > 0 && idLess(ids[j], ids[j-1]); j-- {
			ids[j], ids[j-1] = ids[j-1], ids[j]
		}
	}
}
