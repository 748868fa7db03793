package comfysim

import (
	"net/http"
	"strconv"
	"strings"
)

// cloudTuple is Cloud's queue item: [number, prompt_id, workflow,
// output_node_ids, {create_time}] (elements 3 and 4 swapped vs OSS).
func cloudTuple(it *queueItem) []any {
	return []any{it.number, it.id, it.prompt, it.outputs, map[string]any{"create_time": it.created}}
}

func (s *Server) handleCloudQueue(w http.ResponseWriter, r *http.Request) {
	run, pend := s.queue.snapshot(cloudTuple)
	writeJSON(w, 200, map[string]any{"queue_running": run, "queue_pending": pend})
}

// handleCloudPostQueue answers {deleted, cleared} (OSS: empty body).
func (s *Server) handleCloudPostQueue(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	if err != nil {
		cloudError(w, 400, "invalid_request", err.Error())
		return
	}
	deleted, cleared := s.applyQueueOps(body)
	writeJSON(w, 200, map[string]any{"deleted": deleted, "cleared": cleared})
}

// handleHistoryV2: {"history": [entries newest first]}.
func (s *Server) handleHistoryV2(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	all := s.hist.list(0, false, -1)
	entries := []any{}
	for i := len(all.keys) - 1; i >= 0; i-- {
		id := all.keys[i]
		e := all.m[id].(*historyEntry)
		ji, _ := s.jobs.get(id)
		item := ji.item
		prompt := map[string]any{"priority": e.Prompt[0], "prompt_id": id, "extra_data": e.Prompt[3]}
		created := int64(0)
		if item != nil {
			created = item.created
		}
		entries = append(entries, map[string]any{"prompt_id": id, "create_time": created, "prompt": prompt,
			"outputs": e.Outputs, "status": e.Status, "meta": e.Meta})
	}
	if off, err := strconv.Atoi(q.Get("offset")); err == nil && off > 0 {
		entries = entries[min(off, len(entries)):]
	}
	if n, err := strconv.Atoi(q.Get("max_items")); err == nil && n >= 0 && n < len(entries) {
		entries = entries[:n]
	}
	writeJSON(w, 200, map[string]any{"history": entries})
}

// handleHistoryV2ID: {id: {prompt: {priority, prompt_id, prompt,
// extra_data, outputs_to_execute}, outputs, status, meta}}; {} if unknown.
func (s *Server) handleHistoryV2ID(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	out := map[string]any{}
	if e, ok := s.hist.get(id); ok {
		out[id] = map[string]any{
			"prompt": map[string]any{"priority": e.Prompt[0], "prompt_id": id, "prompt": e.Prompt[2],
				"extra_data": e.Prompt[3], "outputs_to_execute": e.Prompt[4]},
			"outputs": e.Outputs, "status": e.Status, "meta": e.Meta,
		}
	}
	writeJSON(w, 200, out)
}

// handleJobStatus answers the raw internal state.
func (s *Server) handleJobStatus(w http.ResponseWriter, r *http.Request) {
	ji, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		cloudError(w, 404, "not_found", "Job not found")
		return
	}
	out := map[string]any{"id": ji.item.id, "status": ji.rawState(),
		"created_at":         ji.created.UTC().Format("2006-01-02T15:04:05.000Z"),
		"updated_at":         ji.updated.UTC().Format("2006-01-02T15:04:05.000Z"),
		"last_state_update":  ji.updated.UTC().Format("2006-01-02T15:04:05.000Z"),
		"assigned_inference": nil}
	if ji.state == "error" {
		if ee := ji.executionError(); ee != nil {
			out["error_message"] = ee["exception_message"]
		}
	}
	writeJSON(w, 200, out)
}

func (ji jobInfo) executionError() map[string]any {
	if ji.run == nil {
		return nil
	}
	for _, m := range ji.run.messages {
		if m[0] == "execution_error" {
			return m[1].(map[string]any)
		}
	}
	return nil
}

func (s *Server) jobEntry(ji jobInfo, detail bool) map[string]any {
	e := map[string]any{"id": ji.item.id, "status": ji.publicStatus(), "priority": ji.item.number,
		"create_time": ji.item.created, "update_time": ji.updated.Unix(), "outputs_count": 0}
	if ee := ji.executionError(); ee != nil {
		e["execution_error"] = ee
	}
	if ji.run != nil && ji.run.success {
		n := 0
		for _, k := range ji.run.uiOut.keys {
			ui := ji.run.uiOut.m[k].(*omap)
			for _, key := range ui.keys {
				if l, ok := ui.m[key].([]any); ok {
					n += len(l)
					if _, has := e["preview_output"]; !has && len(l) > 0 {
						if item, ok := l[0].(map[string]any); ok {
							p := map[string]any{"nodeId": k, "mediaType": key}
							for kk, vv := range item {
								p[kk] = vv
							}
							e["preview_output"] = p
						}
					}
				}
			}
		}
		e["outputs_count"] = n
		if detail {
			e["outputs"] = ji.run.uiOut
		}
	}
	if detail {
		e["workflow"] = map[string]any{"prompt": ji.item.prompt, "extra_data": ji.item.extra}
		if h, ok := s.hist.get(ji.item.id); ok {
			e["execution_status"] = h.Status
			e["execution_meta"] = h.Meta
		}
	}
	return e
}

func (s *Server) handleJob(w http.ResponseWriter, r *http.Request) {
	ji, ok := s.jobs.get(r.PathValue("id"))
	if !ok {
		cloudError(w, 404, "not_found", "Job not found")
		return
	}
	writeJSON(w, 200, s.jobEntry(ji, true))
}

// handleJobs: ?status=a,b&offset=&limit= (1-1000, default 100), newest first.
func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	want := map[string]bool{}
	if st := q.Get("status"); st != "" {
		for _, x := range strings.Split(st, ",") {
			switch x {
			case "pending", "in_progress", "completed", "failed", "cancelled":
				want[x] = true
			default:
				cloudError(w, 400, "invalid_request", "invalid status "+x)
				return
			}
		}
	}
	limit, offset := 100, 0
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1000 {
			cloudError(w, 400, "invalid_request", "limit must be 1-1000")
			return
		}
		limit = n
	}
	if v := q.Get("offset"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			cloudError(w, 400, "invalid_request", "offset must be a non-negative integer")
			return
		}
		offset = n
	}
	all := s.jobs.list()
	var sel []any
	for i := len(all) - 1; i >= 0; i-- {
		if len(want) == 0 || want[all[i].publicStatus()] {
			sel = append(sel, s.jobEntry(all[i], false))
		}
	}
	total := len(sel)
	page := sel[min(offset, total):min(offset+limit, total)]
	if page == nil {
		page = []any{}
	}
	writeJSON(w, 200, map[string]any{"jobs": page, "pagination": map[string]any{
		"offset": offset, "limit": limit, "total": total, "has_more": offset+limit < total}})
}
