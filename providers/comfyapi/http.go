package comfyapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

const maxErrorBody = 16 << 10

// request is one HTTP call before routing.
type request struct {
	method      string
	path        string // local path; routed by c.route
	query       url.Values
	body        []byte // replayable across retries
	contentType string
	header      http.Header
}

// send performs r, retrying connection failures and 5xx when the request
// is idempotent; any method is retried after a refused dial or a 502/503,
// since then nothing was acted on.
// The caller closes the response body; non-2xx statuses become *HTTPError.
func (c *Client) send(ctx context.Context, r request) (*http.Response, error) {
	idempotent := r.method == http.MethodGet || r.method == http.MethodHead
	var lastErr error
	for attempt := 0; attempt < c.cfg.Retries; attempt++ {
		if attempt > 0 {
			if err := sleepBackoff(ctx, attempt); err != nil {
				return nil, lastErr
			}
		}
		resp, err := c.sendOnce(ctx, r)
		if err == nil {
			return resp, nil
		}
		lastErr = err
		var he *HTTPError
		retry := errors.As(err, &he) && he.Retryable() && (idempotent || notProcessed(he.Status)) ||
			!errors.As(err, &he) && (idempotent || isDialError(err))
		if !retry || ctx.Err() != nil {
			return nil, err
		}
		c.log.Debug("retrying request", "method", r.method, "path", r.path, "attempt", attempt+1, "error", err)
	}
	return nil, lastErr
}

func (c *Client) sendOnce(ctx context.Context, r request) (*http.Response, error) {
	target := c.endpoint(r.path, r.query)
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	req, err := http.NewRequestWithContext(ctx, r.method, target, body)
	if err != nil {
		return nil, err
	}
	c.authHeaders(req.Header)
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	if r.contentType != "" {
		req.Header.Set("Content-Type", r.contentType)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, &ConnError{URL: redactURL(target), Err: unwrapURLError(err)}
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return resp, nil
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	return nil, newHTTPError(r.method, c.route(r.path), resp.StatusCode, b)
}

// getJSON GETs a path and decodes the JSON body into out.
func (c *Client) getJSON(ctx context.Context, path string, q url.Values, out any) error {
	resp, err := c.send(ctx, request{method: http.MethodGet, path: path, query: q})
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("GET %s: malformed JSON from server: %w", c.route(path), err)
	}
	return nil
}

// postJSON POSTs v as JSON and discards a successful body (ComfyUI answers
// most control routes with an empty 200).
func (c *Client) postJSON(ctx context.Context, path string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	resp, err := c.send(ctx, request{method: http.MethodPost, path: path, body: b, contentType: "application/json"})
	if err != nil {
		return err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	return resp.Body.Close()
}

// notProcessed reports statuses that mean a proxy or the server turned the
// request away before acting on it, so even a POST can be sent again. 500
// and 504 are not among them: the prompt may have been queued.
func notProcessed(status int) bool {
	return status == http.StatusBadGateway || status == http.StatusServiceUnavailable
}

// isDialError reports failures where the request never reached a server.
func isDialError(err error) bool {
	var op *net.OpError
	if errors.As(err, &op) && op.Op == "dial" {
		return true
	}
	return errors.Is(err, syscall.ECONNREFUSED)
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// backoff is exponential with jitter, capped, so many clients retrying
// after one server hiccup do not arrive in lockstep.
func backoff(attempt int) time.Duration {
	const base, ceiling = 100 * time.Millisecond, 5 * time.Second
	d := base << min(attempt, 8)
	if d > ceiling {
		d = ceiling
	}
	return d/2 + rand.N(d/2+1)
}

func sleepBackoff(ctx context.Context, attempt int) error {
	return sleepCapped(ctx, attempt, time.Hour)
}

func sleepCapped(ctx context.Context, attempt int, ceiling time.Duration) error {
	t := time.NewTimer(min(backoff(attempt), ceiling))
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
