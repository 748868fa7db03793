package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"net/http"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
)

// fetcher downloads one URL to a file: bytes go to "<dest>.part" while sha256 is
// computed on the fly; a .part left by an earlier attempt is resumed with Range; cut
// connections and 5xx retry with exponential backoff and jitter; the file is renamed
// into place only when complete and (if a hash was declared) verified.
type fetcher struct {
	URL     string
	Headers map[string]string // secrets: never logged, never in errors
	Dest    string
	SHA256  string // expected, lowercase hex; "" accepts any content
	Size    int64  // expected, 0 when unknown

	Client   *http.Client // nil: a client that drops Headers on cross-host redirects
	Retries  int          // attempts; 0 means 6
	Backoff  time.Duration
	Stall    time.Duration // a body silent this long is cut and resumed; 0 means 60s
	Progress func(done, total int64)
	Every    time.Duration // progress interval; 0 means 250ms
	Log      hclog.Logger  // retries at debug level (URL redacted, never headers); nil = silent

	f       *os.File
	h       hash.Hash
	written int64
	total   int64
	last    time.Time
}

// fetchBackoff is the first retry delay; tests shorten it.
var fetchBackoff = 200 * time.Millisecond

// fetchResult is what a finished fetch wrote.
type fetchResult struct {
	SHA256 string
	Size   int64
}

// errHashMismatch is returned (wrapped) when the content is not what was declared; the
// partial file is gone and retrying would download the same bytes again.
var errHashMismatch = errors.New("sha256 mismatch")

func (d *fetcher) run(ctx context.Context) (fetchResult, error) {
	d.defaults()
	part := d.Dest + ".part"
	if err := d.openPart(ctx, part); err != nil {
		return fetchResult{}, err
	}
	defer func() {
		if d.f != nil {
			d.f.Close()
		}
	}()
	if err := d.transfer(ctx); err != nil {
		var pe permanentError
		if errors.As(err, &pe) {
			d.f.Close()
			d.f = nil
			os.Remove(part)
		}
		return fetchResult{}, err // otherwise the .part stays for the next apply to resume
	}
	d.report(true)
	sum := hex.EncodeToString(d.h.Sum(nil))
	if (d.SHA256 != "" && sum != d.SHA256) || (d.Size > 0 && d.written != d.Size) {
		d.f.Close()
		d.f = nil
		os.Remove(part)
		return fetchResult{SHA256: sum, Size: d.written}, fmt.Errorf("%w: the source sent %d bytes with sha256 %s, but the configuration declares sha256 %s%s; the partial file was deleted. Check `source` and `sha256` (a changed upstream file needs a new sha256)",
			errHashMismatch, d.written, sum, orAny(d.SHA256), sizeNote(d.Size))
	}
	if err := d.f.Sync(); err != nil {
		return fetchResult{}, err
	}
	if err := d.f.Close(); err != nil {
		d.f = nil
		return fetchResult{}, err
	}
	d.f = nil
	if err := os.Rename(part, d.Dest); err != nil {
		return fetchResult{}, err
	}
	return fetchResult{SHA256: sum, Size: d.written}, nil
}

func orAny(s string) string {
	if s == "" {
		return "(any)"
	}
	return s
}

func sizeNote(n int64) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" and size %d", n)
}

func (d *fetcher) defaults() {
	if d.Retries <= 0 {
		d.Retries = 6
	}
	if d.Backoff <= 0 {
		d.Backoff = fetchBackoff
	}
	if d.Stall <= 0 {
		d.Stall = time.Minute
	}
	if d.Every <= 0 {
		d.Every = 250 * time.Millisecond
	}
	if d.Log == nil {
		d.Log = hclog.NewNullLogger()
	}
	if d.Client == nil {
		d.Client = newDownloadClient(d.Headers)
	}
	d.h = sha256.New()
	d.total = d.Size
}

// openPart opens the .part file, hashing what an earlier attempt left so the resumed
// hash covers the whole file. A symlink planted at the .part name is removed, never
// followed.
func (d *fetcher) openPart(ctx context.Context, part string) error {
	if fi, err := os.Lstat(part); err == nil && !fi.Mode().IsRegular() {
		if err := os.Remove(part); err != nil {
			return err
		}
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	f, err := os.OpenFile(part, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	d.f = f
	n, err := io.CopyBuffer(d.h, ctxReader{ctx, f}, make([]byte, 1<<20))
	if err != nil {
		return err
	}
	d.written = n
	if d.Size > 0 && n > d.Size { // longer than the declared file: it cannot be a prefix
		return d.restart()
	}
	return nil
}

// restart discards what was written, for servers that cannot resume.
func (d *fetcher) restart() error {
	d.h.Reset()
	d.written = 0
	if err := d.f.Truncate(0); err != nil {
		return localWriteError{err}
	}
	if _, err := d.f.Seek(0, io.SeekStart); err != nil {
		return localWriteError{err}
	}
	return nil
}

// localWriteError marks failures of our disk, which retrying cannot fix.
type localWriteError struct{ error }

func (e localWriteError) Unwrap() error { return e.error }

// report calls Progress at most every d.Every, and always when final.
func (d *fetcher) report(final bool) {
	if d.Progress == nil {
		return
	}
	now := time.Now()
	if !final && now.Sub(d.last) < d.Every {
		return
	}
	d.last = now
	d.Progress(d.written, d.total)
}
