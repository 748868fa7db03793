package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// assetClient speaks Cloud's asset import routes, which comfyapi does not cover:
// POST /api/assets/download and GET /api/tasks/{id}. It never follows redirects, so
// the API key cannot travel to another host.
type assetClient struct {
	base string
	key  string
	http *http.Client
}

func newAssetClient(base, key string) *assetClient {
	return &assetClient{base: strings.TrimRight(base, "/"), key: key, http: &http.Client{
		Timeout:       2 * time.Minute,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// asset is Cloud's AssetCreated (also a completed task's result).
type asset struct {
	ID   string   `json:"id"`
	Name string   `json:"name"`
	Tags []string `json:"tags"`
	Size int64    `json:"size"`
}

// assetTask is the 202 answer of an import and the body of /api/tasks/{id}.
type assetTask struct {
	ID      string          `json:"task_id"`
	Status  string          `json:"status"` // created | running | completed | failed
	Message string          `json:"message"`
	Result  json.RawMessage `json:"result"`
}

// assetError is a non-2xx answer; explain turns it into a fix.
type assetError struct {
	Status        int
	Method, Route string
	Code, Message string
}

func (e *assetError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d", e.Method, e.Route, e.Status)
	if e.Code != "" {
		s += " " + e.Code
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// importModel asks Cloud to fetch src; done is set when Cloud already has the asset.
func (a *assetClient) importModel(ctx context.Context, src string, tags []string) (task *assetTask, done *asset, err error) {
	body, _ := json.Marshal(map[string]any{"source_url": src, "tags": tags})
	status, raw, err := a.do(ctx, http.MethodPost, "/api/assets/download", body)
	if err != nil {
		return nil, nil, err
	}
	if status == http.StatusOK {
		var as asset
		if err := json.Unmarshal(raw, &as); err != nil {
			return nil, nil, fmt.Errorf("POST /api/assets/download: unexpected answer: %w", err)
		}
		return nil, &as, nil
	}
	var t assetTask
	if err := json.Unmarshal(raw, &t); err != nil || t.ID == "" {
		return nil, nil, fmt.Errorf("POST /api/assets/download: HTTP %d without a task id", status)
	}
	return &t, nil, nil
}

// task reads an import task's state.
func (a *assetClient) task(ctx context.Context, id string) (*assetTask, error) {
	_, raw, err := a.do(ctx, http.MethodGet, "/api/tasks/"+url.PathEscape(id), nil)
	if err != nil {
		return nil, err
	}
	var t assetTask
	if err := json.Unmarshal(raw, &t); err != nil {
		return nil, fmt.Errorf("GET /api/tasks/%s: malformed JSON: %w", id, err)
	}
	return &t, nil
}

func (a *assetClient) do(ctx context.Context, method, route string, body []byte) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+route, rd)
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("X-API-Key", a.key)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: cannot reach Comfy Cloud: %w", method, route, unwrapURL(err))
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: reading the answer: %w", method, route, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := &assetError{Status: resp.StatusCode, Method: method, Route: route}
		var parsed struct{ Code, Message string }
		if json.Unmarshal(raw, &parsed) == nil {
			e.Code, e.Message = parsed.Code, parsed.Message
		}
		return 0, nil, e
	}
	return resp.StatusCode, raw, nil
}

func unwrapURL(err error) error {
	if ue, ok := err.(*url.Error); ok {
		return ue.Err
	}
	return err
}
