package local

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"
)

// managerStatus is GET /manager/queue/status.
type managerStatus struct {
	Total      int  `json:"total_count"`
	Done       int  `json:"done_count"`
	InProgress int  `json:"in_progress_count"`
	Pending    int  `json:"pending_count"`
	Processing bool `json:"is_processing"`
}

// installedPack is one entry of GET /customnode/installed, keyed by directory name.
type installedPack struct {
	Ver     string `json:"ver"`
	CNRID   string `json:"cnr_id"`
	AuxID   string `json:"aux_id"`
	Enabled bool   `json:"enabled"`
}

// enqueue adds one task: kind "install" or "install-model" with the legacy body shape
// (v4 wraps the same fields in a task).
func (m *manager) enqueue(ctx context.Context, kind string, params map[string]any) (uiID string, err error) {
	uiID = "comfyhcl-" + uuid.NewString()
	params["ui_id"] = uiID
	path, body := "/manager/queue/install", any(params)
	if kind == "install-model" {
		path = "/manager/queue/install_model"
	}
	if m.v2 {
		path = "/v2/manager/queue/task"
		body = map[string]any{"ui_id": uiID, "client_id": m.clientID, "kind": kind, "params": params}
	}
	status, b, err := m.do(ctx, http.MethodPost, path, body)
	if err != nil {
		return "", err
	}
	if status != http.StatusOK {
		return "", managerError(kind, status, b)
	}
	return uiID, nil
}

// taskFailure is what Manager v4's queue history says went wrong with a task, or ""
// (success, or a legacy Manager that reports results only over its WebSocket).
func (m *manager) taskFailure(ctx context.Context, uiID string) string {
	if !m.v2 {
		return ""
	}
	status, b, err := m.do(ctx, http.MethodGet, "/v2/manager/queue/history?ui_id="+uiID, nil)
	if err != nil || status != http.StatusOK {
		return ""
	}
	var doc struct {
		History map[string]struct {
			Result string          `json:"result"`
			Status json.RawMessage `json:"status"`
		} `json:"history"`
	}
	if json.Unmarshal(b, &doc) != nil {
		return ""
	}
	t, ok := doc.History[uiID]
	if !ok || t.Result == "" || t.Result == "success" {
		return ""
	}
	return t.Result
}

// run starts the queue worker and waits until every task is done, reporting the task
// counts. It ends with ctx; Manager offers no per-task result over HTTP, so callers
// verify the outcome themselves (installed list, model list).
func (m *manager) run(ctx context.Context, report func(done, total int)) error {
	status, b, err := m.do(ctx, http.MethodPost, m.route("/manager/queue/start"), map[string]any{})
	if err != nil {
		return err
	}
	if status != http.StatusOK && status != http.StatusCreated {
		return managerError("starting its queue", status, b)
	}
	t := time.NewTicker(m.poll)
	defer t.Stop()
	for {
		st, err := m.status(ctx)
		if err != nil {
			return err
		}
		report(st.Done, st.Total)
		if !st.Processing && st.InProgress == 0 && st.Pending == 0 && st.Done >= st.Total {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for ComfyUI-Manager's queue: %w", ctx.Err())
		case <-t.C:
		}
	}
}

func (m *manager) status(ctx context.Context) (managerStatus, error) {
	path := m.route("/manager/queue/status")
	if m.v2 {
		path += "?client_id=" + m.clientID
	}
	var st managerStatus
	status, b, err := m.do(ctx, http.MethodGet, path, nil)
	if err != nil {
		return st, err
	}
	if status != http.StatusOK {
		return st, managerError("reading its queue status", status, b)
	}
	if err := json.Unmarshal(b, &st); err != nil {
		return st, fmt.Errorf("ComfyUI-Manager's queue status is not JSON: %w", err)
	}
	return st, nil
}

// installed lists the server's custom node packs.
func (m *manager) installed(ctx context.Context) (map[string]installedPack, error) {
	status, b, err := m.do(ctx, http.MethodGet, m.route("/customnode/installed"), nil)
	if err != nil {
		return nil, err
	}
	if status != http.StatusOK {
		return nil, managerError("listing installed packs", status, b)
	}
	out := map[string]installedPack{}
	if err := json.Unmarshal(b, &out); err != nil {
		return nil, fmt.Errorf("ComfyUI-Manager's installed list is not JSON: %w", err)
	}
	return out, nil
}
