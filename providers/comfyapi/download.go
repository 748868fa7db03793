package comfyapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"mime"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
)

// DownloadOptions shape where and how an output lands.
type DownloadOptions struct {
	Flat bool // drop the server's subfolder
	// Owned reports that state says the relative path is ours, so an
	// existing file there may be replaced. Nil means nothing is owned.
	Owned func(rel string) bool
}

// DownloadedFile describes a file written under the destination root.
type DownloadedFile struct {
	RelPath   string // slash-separated, relative to the destination root
	Path      string
	Size      int64
	SHA256    string // lowercase hex
	MediaType string
}

// Download streams ref from /view into destRoot. Bytes go to
// "<final>.part" while sha256 is computed on the fly, and are renamed into
// place only when complete. A cut connection resumes with Range; failures
// retry with backoff. Unsafe server names are refused with *PathError.
func (c *Client) Download(ctx context.Context, ref FileRef, destRoot string, opt DownloadOptions) (*DownloadedFile, error) {
	rel, err := safeRelPath(ref.Subfolder, ref.Filename, opt.Flat)
	if err != nil {
		return nil, err
	}
	relDir, base := path.Split(rel)
	dir, err := prepareDir(destRoot, splitDirs(relDir))
	if err != nil {
		return nil, err
	}
	owned := opt.Owned != nil && opt.Owned(rel)
	name, reserved, err := claimName(dir, base, owned)
	if err != nil {
		return nil, err
	}
	final := filepath.Join(dir, name)
	part := final + ".part"
	ok := false
	defer func() {
		if !ok {
			os.Remove(part)
			if reserved {
				os.Remove(final)
			}
		}
	}()
	os.Remove(part) // a stale .part (or a planted symlink) from an earlier crash
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	dl := &transfer{c: c, ref: ref, f: f, h: sha256.New()}
	if err := dl.run(ctx); err != nil {
		return nil, err
	}
	if err := f.Sync(); err != nil {
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(part, final); err != nil {
		return nil, err
	}
	ok = true
	relFinal := path.Join(relDir, name)
	return &DownloadedFile{
		RelPath:   relFinal,
		Path:      filepath.Join(destRoot, filepath.FromSlash(relFinal)),
		Size:      dl.written,
		SHA256:    hex.EncodeToString(dl.h.Sum(nil)),
		MediaType: mediaType(dl.contentType, name),
	}, nil
}

func splitDirs(relDir string) []string {
	relDir = strings.Trim(relDir, "/")
	if relDir == "" {
		return nil
	}
	return strings.Split(relDir, "/")
}

// transfer is one download's resumable state.
type transfer struct {
	c           *Client
	ref         FileRef
	f           *os.File
	h           hash.Hash
	written     int64
	contentType string
}

// localWriteError marks failures of our disk, which retrying cannot fix.
type localWriteError struct{ error }

func (t *transfer) run(ctx context.Context) error {
	var lastErr error
	for attempt := 0; attempt < t.c.cfg.Retries; attempt++ {
		if attempt > 0 {
			if err := sleepBackoff(ctx, attempt); err != nil {
				return lastErr
			}
			t.c.log.Debug("resuming download", "file", t.ref.Filename, "offset", t.written, "attempt", attempt+1, "error", lastErr)
		}
		err := t.once(ctx)
		if err == nil {
			return nil
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
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return err
	}
	t.c.authHeaders(req.Header)
	if t.written > 0 {
		req.Header.Set("Range", fmt.Sprintf("bytes=%d-", t.written))
	}
	resp, err := t.c.http.Do(req)
	if err != nil {
		return &ConnError{URL: redactURL(target), Err: unwrapURLError(err)}
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
		if t.written > 0 { // the server ignored Range: start over
			if err := t.restart(); err != nil {
				return err
			}
		}
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
	_, err = io.CopyBuffer(hashingWriter{t}, resp.Body, buf)
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

func mediaType(contentType, name string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt != "application/octet-stream" {
		return mt
	}
	if mt := mime.TypeByExtension(filepath.Ext(name)); mt != "" {
		mt, _, _ = mime.ParseMediaType(mt)
		return mt
	}
	return "application/octet-stream"
}
