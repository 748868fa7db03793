package comfyapi

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// transfer is one download's resumable state.
type transfer struct {
	c           *Client
	ref         FileRef
	f           *os.File
	h           hash.Hash
	written     int64
	contentType string
	validator   string // strong ETag or Last-Modified, for If-Range
	watchdog    *time.Timer
}

// localWriteError marks failures of our disk, which retrying cannot fix.
type localWriteError struct{ error }

// maxResumes bounds resumes that made progress (they do not use up
// Retries, which counts attempts that got nowhere).
const maxResumes = 1000

func (t *transfer) run(ctx context.Context) error {
	var lastErr error
	for attempt, resumes := 0, 0; attempt < t.c.cfg.Retries && resumes < maxResumes; attempt++ {
		if attempt > 0 {
			if err := sleepBackoff(ctx, attempt); err != nil {
				return lastErr
			}
			t.c.log.Debug("resuming download", "file", t.ref.Filename, "offset", t.written, "attempt", attempt+1, "error", lastErr)
		}
		before := t.written
		err := t.once(ctx)
		if err == nil {
			return nil
		}
		if t.written > before { // progress: a flaky link, not a dead one
			attempt, resumes = 0, resumes+1
		}
		lastErr = err
		var he *HTTPError
		var lw localWriteError
		if ctx.Err() != nil || errors.As(err, &lw) || errors.As(err, &he) && !he.Retryable() {
			return err
		}
	}
	return lastErr
}

func (t *transfer) once(ctx context.Context) error {
	q := url.Values{"filename": {t.ref.Filename}, "subfolder": {t.ref.Subfolder}, "type": {refType(t.ref)}}
	target := t.c.endpoint("/view", q)
	// A body that stops arriving without an error would hang until the
	// caller's deadline; cancel it after StallTimeout of silence and resume.
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stall := t.c.cfg.StallTimeout
	t.watchdog = time.AfterFunc(stall, func() { cancel(fmt.Errorf("no data for %s", stall)) })
	defer t.watchdog.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	t.c.authHeaders(req.Header)
	if t.written > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", t.written))
		// If the file changed since, the server answers 200 with all of
		// it instead of splicing two versions together.
		if t.validator != "" {
			req.Header.Set("If-Range", t.validator)
		}
	}
	resp, err := t.c.http.Do(req)
	if err != nil {
		return &ConnError{URL: redactURL(target), Err: causeOr(ctx, unwrapURLError(err))}
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusPartialContent:
		if start, ok := contentRangeStart(resp.Header.Get("Content-Range")); !ok || start != t.written {
			if err := t.restart(); err != nil {
				return err
			}
			return fmt.Errorf("server resumed at the wrong offset (%q); restarting", resp.Header.Get("Content-Range"))
		}
	case resp.StatusCode == http.StatusOK:
		if t.written > 0 { // Range ignored, or If-Range failed: start over
			if err := t.restart(); err != nil {
				return err
			}
		}
		t.validator = resumeValidator(resp.Header)
	case resp.StatusCode == http.StatusRequestedRangeNotSatisfiable:
		if err := t.restart(); err != nil {
			return err
		}
		return errors.New("server refused the resume range; restarting")
	default:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		return newHTTPError(http.MethodGet, t.c.route("/view")+"?filename="+t.ref.Filename, resp.StatusCode, b)
	}
	if t.contentType == "" {
		t.contentType = resp.Header.Get("Content-Type")
	}
	buf := make([]byte, 256<<10)
	if _, err = io.CopyBuffer(hashingWriter{t}, resp.Body, buf); err != nil {
		return causeOr(ctx, err)
	}
	return nil
}

// resumeValidator picks what If-Range may carry: a strong ETag (weak ones
// are not allowed there) or else Last-Modified.
func resumeValidator(h http.Header) string {
	if etag := h.Get("Etag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		return etag
	}
	return h.Get("Last-Modified")
}

// causeOr prefers the watchdog's reason over a bare "context canceled".
func causeOr(ctx context.Context, err error) error {
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		return cause
	}
	return err
}

// restart discards what was written, for servers that cannot resume.
func (t *transfer) restart() error {
	t.h.Reset()
	t.written = 0
	if err := t.f.Truncate(0); err != nil {
		return localWriteError{err}
	}
	if _, err := t.f.Seek(0, io.SeekStart); err != nil {
		return localWriteError{err}
	}
	return nil
}

// hashingWriter hashes exactly the bytes that reached the file, so a cut
// mid-write leaves file and hash in step for the resume.
type hashingWriter struct{ t *transfer }

func (w hashingWriter) Write(p []byte) (int, error) {
	w.t.watchdog.Reset(w.t.c.cfg.StallTimeout)
	n, err := w.t.f.Write(p)
	w.t.h.Write(p[:n])
	w.t.written += int64(n)
	if err != nil {
		return n, localWriteError{err}
	}
	return n, nil
}

func contentRangeStart(v string) (int64, bool) {
	v, ok := strings.CutPrefix(v, "bytes ")
	if !ok {
		return 0, false
	}
	startStr, _, ok := strings.Cut(v, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.ParseInt(startStr, 10, 64)
	return n, err == nil
}

func refType(ref FileRef) string {
	if ref.Type == "" {
		return "output"
	}
	return ref.Type
}
