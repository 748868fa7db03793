package local

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
)

// manager talks to ComfyUI-Manager on the server: the legacy v3 routes (/manager/...,
// /customnode/...) or the integrated v4 ones (/v2/...), see comfyui-api.md §4.
type manager struct {
	base     string
	v2       bool
	token    string
	headers  map[string]string // secrets: never logged
	http     *http.Client
	clientID string
	poll     time.Duration
}

// managerPoll is how often the install queue is polled; tests shorten it.
var managerPoll = 500 * time.Millisecond

var managerProbes sync.Map // server base URL -> *managerProbe

type managerProbe struct {
	once  sync.Once
	found bool
	v2    bool
	err   error
}

// manager returns a client for the server's ComfyUI-Manager, or nil when the server has
// none. The probe runs once per server and process.
func (p *Provider) manager(ctx context.Context) (*manager, error) {
	cfg := p.settings()
	base := strings.TrimRight(cfg.URL, "/")
	if base == "" {
		base = DefaultURL
	}
	m := &manager{base: base, token: cfg.Token, headers: cfg.Headers, clientID: uuid.NewString(), poll: managerPoll,
		http: &http.Client{Timeout: 30 * time.Second}}
	v, _ := managerProbes.LoadOrStore(base, &managerProbe{})
	pr := v.(*managerProbe)
	pr.once.Do(func() {
		for _, cand := range []bool{true, false} {
			m.v2 = cand
			status, _, err := m.do(ctx, http.MethodGet, m.route("/manager/version"), nil)
			if err != nil {
				pr.err = err
				return
			}
			if status == http.StatusOK {
				pr.found, pr.v2 = true, cand
				return
			}
		}
	})
	if pr.err != nil {
		managerProbes.Delete(base) // a server that was down may be up next time
		return nil, pr.err
	}
	if !pr.found {
		return nil, nil
	}
	m.v2 = pr.v2
	return m, nil
}

// route maps a legacy path onto the deployment's dialect.
func (m *manager) route(path string) string {
	if m.v2 {
		return "/v2" + path
	}
	return path
}

// do sends one request; it returns the status and a bounded body. Only failures to reach
// the server are errors; the caller judges the status.
func (m *manager) do(ctx context.Context, method, path string, body any) (int, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, m.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	for k, v := range m.headers {
		req.Header.Set(k, v)
	}
	if m.token != "" {
		req.Header.Set("Authorization", "Bearer "+m.token)
	}
	if body != nil {
		// Manager rejects "simple form" content types on POST.
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := m.http.Do(req)
	if err != nil {
		return 0, nil, fmt.Errorf("%s %s: %w; is ComfyUI running there?", method, path, unwrapURL(err))
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	return resp.StatusCode, b, err
}

// managerError explains a refused Manager request.
func managerError(op string, status int, body []byte) error {
	msg := strings.TrimSpace(string(body))
	if len(msg) > 300 {
		msg = msg[:300] + "…"
	}
	err := fmt.Sprintf("ComfyUI-Manager refused %s (HTTP %d)", op, status)
	if msg != "" {
		err += ": " + msg
	}
	if status == http.StatusForbidden || strings.Contains(msg, "security") {
		err += "; its security_level forbids this: set security_level = weak in ComfyUI-Manager's config.ini and restart ComfyUI, or configure `workspace` so comfyhcl installs directly"
	}
	return fmt.Errorf("%s", err)
}
