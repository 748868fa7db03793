package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// httpStatusError is a non-success answer from a download source.
type httpStatusError struct {
	Status int
	URL    string // redacted
	Body   string
}

func (e *httpStatusError) Error() string {
	msg := fmt.Sprintf("GET %s: HTTP %d", e.URL, e.Status)
	if e.Body != "" {
		msg += ": " + e.Body
	}
	switch {
	case e.Status == http.StatusUnauthorized || e.Status == http.StatusForbidden:
		msg += "; the source needs credentials: set `headers` on the model block (for example Authorization = \"Bearer ${var.hf_token}\")"
	case e.Status == http.StatusNotFound:
		msg += "; check the `source` URL"
	}
	return msg
}

func (e *httpStatusError) retryable() bool {
	return e.Status >= 500 || e.Status == http.StatusTooManyRequests || e.Status == http.StatusRequestTimeout
}

// transfer runs attempts until the body has been read to its end. Only attempts that
// made no progress count against Retries (a long download over a connection that
// drops now and then keeps going); maxAttempts bounds the rest.
func (d *fetcher) transfer(ctx context.Context) error {
	var lastErr error
	failures := 0
	for attempt := 0; attempt < maxAttempts; attempt++ {
		if attempt > 0 {
			if err := sleepJitter(ctx, d.Backoff, max(failures, 1)); err != nil {
				return lastErr
			}
			d.Log.Debug("resuming download", "url", redactedURL(d.URL), "offset", d.written, "attempt", attempt+1, "error", lastErr.Error())
		}
		before := d.written
		err := d.once(ctx)
		if err == nil {
			return nil
		}
		lastErr = err
		var he *httpStatusError
		var lw localWriteError
		var pe permanentError
		if ctx.Err() != nil || errors.As(err, &lw) || errors.As(err, &pe) || errors.As(err, &he) && !he.retryable() {
			return err
		}
		if d.written > before {
			failures = 0
		} else if failures++; failures >= d.Retries {
			break
		}
	}
	return fmt.Errorf("gave up after %d attempts without progress: %w; the partial download is kept and the next apply resumes it", d.Retries, lastErr)
}

// maxAttempts bounds attempts that each made some progress.
const maxAttempts = 1000

func (d *fetcher) once(ctx context.Context) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	watchdog := time.AfterFunc(d.Stall, func() { cancel(fmt.Errorf("no data for %s", d.Stall)) })
	defer watchdog.Stop()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, d.URL, nil)
	if err != nil {
		return &httpStatusError{URL: redactedURL(d.URL), Body: "invalid URL"}
	}
	for k, v := range d.Headers {
		req.Header.Set(k, v)
	}
	if d.written > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", d.written))
	}
	resp, err := d.Client.Do(req)
	if err != nil {
		return fmt.Errorf("GET %s: %w", redactedURL(d.URL), causeOf(ctx, unwrapURL(err)))
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusPartialContent:
		start, total, ok := parseContentRange(resp.Header.Get("Content-Range"))
		if !ok || start != d.written {
			if err := d.restart(); err != nil {
				return err
			}
			return fmt.Errorf("the source resumed at the wrong offset (%q); restarting", resp.Header.Get("Content-Range"))
		}
		if total > 0 {
			d.total = total
		}
	case http.StatusOK:
		if d.written > 0 { // the source ignored Range: start over
			if err := d.restart(); err != nil {
				return err
			}
		}
		if resp.ContentLength > 0 {
			d.total = resp.ContentLength
		}
	case http.StatusRequestedRangeNotSatisfiable:
		// Either the .part is already complete or it is longer than the file.
		if _, total, ok := parseContentRange(resp.Header.Get("Content-Range")); ok && total == d.written {
			return nil
		}
		if err := d.restart(); err != nil {
			return err
		}
		return errors.New("the source refused the resume range; restarting")
	default:
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return &httpStatusError{Status: resp.StatusCode, URL: redactedURL(d.URL), Body: strings.TrimSpace(string(b))}
	}
	if d.Size > 0 && d.total > 0 && d.total != d.Size {
		return permanentError{fmt.Errorf("the source serves %d bytes but the configuration declares size %d; check `source` (the upstream file may have changed) and the size recorded in the lock file", d.total, d.Size)}
	}
	buf := make([]byte, 256<<10)
	if _, err := io.CopyBuffer(fetchWriter{d, watchdog}, resp.Body, buf); err != nil {
		return causeOf(ctx, err)
	}
	if d.total > 0 && d.written < d.total {
		return fmt.Errorf("the body ended after %d of %d bytes; resuming", d.written, d.total)
	}
	return nil
}

// permanentError is a failure that retrying cannot fix and that makes the partial
// download worthless.
type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// fetchWriter writes to the .part and hashes exactly the bytes that reached it, so a
// cut mid-write leaves file and hash in step for the resume.
type fetchWriter struct {
	d        *fetcher
	watchdog *time.Timer
}

func (w fetchWriter) Write(p []byte) (int, error) {
	w.watchdog.Reset(w.d.Stall)
	n, err := w.d.f.Write(p)
	w.d.h.Write(p[:n])
	w.d.written += int64(n)
	w.d.report(false)
	if err != nil {
		return n, localWriteError{err}
	}
	return n, nil
}
