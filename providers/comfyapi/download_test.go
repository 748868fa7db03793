package comfyapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// viewServer serves /view from an in-memory set of files, honouring Range,
// and can cut the first response for a file after cutAt bytes.
type viewServer struct {
	srv   *httptest.Server
	files map[string][]byte // "subfolder/filename"
	cutAt int
	stall bool // the cut response stalls instead of dropping the connection
	// cutEvery drops every response's connection after this many body
	// bytes (Range is honoured, so each retry gets further).
	cutEvery int
	etag     string // sent with every response when set
	// onResume runs (locked) when a request carrying Range arrives.
	onResume func()
	mu       sync.Mutex
	ranges   []string
	ifRanges []string // If-Range headers received, in order
	cuts     int
}

func newViewServer(t testing.TB, files map[string][]byte) *viewServer {
	v := &viewServer{files: files}
	v.srv = httptest.NewServer(http.HandlerFunc(v.serve))
	t.Cleanup(v.srv.Close)
	return v
}

func (v *viewServer) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/view" && r.URL.Path != "/api/view" {
		http.NotFound(w, r)
		return
	}
	q := r.URL.Query()
	key := strings.TrimPrefix(q.Get("subfolder")+"/"+q.Get("filename"), "/")
	v.mu.Lock()
	if r.Header.Get("Range") != "" && v.onResume != nil {
		v.onResume()
	}
	body, ok := v.files[key]
	etag := v.etag
	v.ranges = append(v.ranges, r.Header.Get("Range"))
	v.ifRanges = append(v.ifRanges, r.Header.Get("If-Range"))
	cut := ok && v.cutAt > 0 && v.cuts == 0
	if cut {
		v.cuts++
	}
	v.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	if etag != "" {
		w.Header().Set("Etag", etag)
	}
	if cut {
		// Promise the whole body, send part of it, then drop the connection.
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:v.cutAt])
		w.(http.Flusher).Flush()
		if v.stall {
			<-r.Context().Done() // until the client gives up on us
			return
		}
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	if v.cutEvery > 0 {
		w = &cuttingWriter{ResponseWriter: w, left: v.cutEvery}
	}
	http.ServeContent(w, r, q.Get("filename"), time.Time{}, bytes.NewReader(body))
}

// cuttingWriter passes `left` body bytes, then kills the connection.
type cuttingWriter struct {
	http.ResponseWriter
	left int
}

func (c *cuttingWriter) Write(p []byte) (int, error) {
	if len(p) <= c.left {
		c.left -= len(p)
		return c.ResponseWriter.Write(p)
	}
	n, _ := c.ResponseWriter.Write(p[:c.left])
	c.left = 0
	c.ResponseWriter.(http.Flusher).Flush()
	if conn, _, err := c.ResponseWriter.(http.Hijacker).Hijack(); err == nil {
		conn.Close()
	}
	return n, errors.New("cut")
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func newTestClient(t testing.TB, url string) *Client {
	c, err := New(Config{BaseURL: url, QuietInterval: 50e6})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func TestDownloadKeepsSubfolderAndHashes(t *testing.T) {
	body := bytes.Repeat([]byte("pixels"), 1000)
	v := newViewServer(t, map[string][]byte{"video/a.png": body})
	c := newTestClient(t, v.srv.URL)
	root := t.TempDir()
	got, err := c.Download(testCtx(t), FileRef{Filename: "a.png", Subfolder: "video", Type: "output"}, root, DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.RelPath != "video/a.png" || got.Size != int64(len(body)) || got.SHA256 != sha(body) || got.MediaType != "image/png" {
		t.Fatalf("got %+v", got)
	}
	onDisk, err := os.ReadFile(filepath.Join(root, "video", "a.png"))
	if err != nil || !bytes.Equal(onDisk, body) {
		t.Fatalf("file on disk differs: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "video", "a.png.part")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal(".part left behind")
	}
	flat, err := c.Download(testCtx(t), FileRef{Filename: "a.png", Subfolder: "video"}, root, DownloadOptions{Flat: true})
	if err != nil || flat.RelPath != "a.png" {
		t.Fatalf("flat: %+v, %v", flat, err)
	}
}

func TestDownloadNeverOverwritesSilently(t *testing.T) {
	body := []byte("new bytes")
	v := newViewServer(t, map[string][]byte{"a.png": body})
	c := newTestClient(t, v.srv.URL)
	root := t.TempDir()
	existing := filepath.Join(root, "a.png")
	os.WriteFile(existing, []byte("user's file"), 0o644)
	ref := FileRef{Filename: "a.png"}

	got, err := c.Download(testCtx(t), ref, root, DownloadOptions{})
	if err != nil || got.RelPath != "a_1.png" {
		t.Fatalf("clash: %+v, %v", got, err)
	}
	if b, _ := os.ReadFile(existing); string(b) != "user's file" {
		t.Fatal("user's file was overwritten")
	}
	got, err = c.Download(testCtx(t), ref, root, DownloadOptions{})
	if err != nil || got.RelPath != "a_2.png" {
		t.Fatalf("second clash: %+v, %v", got, err)
	}
	owned := func(rel string) bool { return rel == "a.png" }
	got, err = c.Download(testCtx(t), ref, root, DownloadOptions{Owned: owned})
	if err != nil || got.RelPath != "a.png" {
		t.Fatalf("owned: %+v, %v", got, err)
	}
	if b, _ := os.ReadFile(existing); !bytes.Equal(b, body) {
		t.Fatal("owned file not replaced")
	}
}

func TestDownloadResumesAfterCut(t *testing.T) {
	body := make([]byte, 3<<20)
	for i := range body {
		body[i] = byte(i * 7)
	}
	v := newViewServer(t, map[string][]byte{"big.png": body})
	v.cutAt = 1 << 20
	c := newTestClient(t, v.srv.URL)
	got, err := c.Download(testCtx(t), FileRef{Filename: "big.png"}, t.TempDir(), DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != sha(body) || got.Size != int64(len(body)) {
		t.Fatalf("sha/size mismatch after resume: %+v", got)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.ranges) != 2 || v.ranges[0] != "" || !strings.HasPrefix(v.ranges[1], "bytes=") || v.ranges[1] == "bytes=0-" {
		t.Fatalf("range headers %q, want a resume", v.ranges)
	}
}

func TestDownloadRefusesUnsafeNames(t *testing.T) {
	v := newViewServer(t, map[string][]byte{})
	c := newTestClient(t, v.srv.URL)
	root := t.TempDir()
	for _, ref := range []FileRef{{Filename: "../x.png"}, {Filename: "x.png", Subfolder: "../.."}, {Filename: "/etc/passwd"}} {
		_, err := c.Download(testCtx(t), ref, root, DownloadOptions{})
		var pe *PathError
		if !errors.As(err, &pe) {
			t.Errorf("%+v: err %v, want *PathError", ref, err)
		}
	}
}

func TestDownloadMissingFileIs404(t *testing.T) {
	v := newViewServer(t, map[string][]byte{})
	c := newTestClient(t, v.srv.URL)
	root := t.TempDir()
	_, err := c.Download(testCtx(t), FileRef{Filename: "nope.png"}, root, DownloadOptions{})
	var he *HTTPError
	if !errors.As(err, &he) || he.Status != 404 {
		t.Fatalf("err %v", err)
	}
	if entries, _ := os.ReadDir(root); len(entries) != 0 {
		t.Fatalf("failed download left %v", entries)
	}
}

func TestDownloadResumesAfterStall(t *testing.T) {
	body := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
	v := newViewServer(t, map[string][]byte{"slow.png": body})
	v.cutAt, v.stall = 1<<18, true
	c, err := New(Config{BaseURL: v.srv.URL, StallTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.Download(testCtx(t), FileRef{Filename: "slow.png"}, t.TempDir(), DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != sha(body) {
		t.Fatal("sha mismatch after stall")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.ranges) != 2 || !strings.HasPrefix(v.ranges[1], "bytes=") || v.ranges[1] == "bytes=0-" {
		t.Fatalf("ranges %q", v.ranges)
	}
}

func TestDownloadLeavesForeignPartFilesAlone(t *testing.T) {
	v := newViewServer(t, map[string][]byte{"a.png": []byte("img")})
	c := newTestClient(t, v.srv.URL)
	root := t.TempDir()
	foreign := filepath.Join(root, "a.png.part")
	os.WriteFile(foreign, []byte("someone else's"), 0o644)
	got, err := c.Download(testCtx(t), FileRef{Filename: "a.png"}, root, DownloadOptions{})
	if err != nil || got.RelPath != "a.png" {
		t.Fatalf("%+v, %v", got, err)
	}
	if b, _ := os.ReadFile(foreign); string(b) != "someone else's" {
		t.Fatal("a pre-existing .part file was touched")
	}
	if entries, _ := os.ReadDir(root); len(entries) != 2 {
		t.Fatalf("left %v", entries)
	}
}

func TestDownloadSurvivesManyCutsThatMakeProgress(t *testing.T) {
	body := bytes.Repeat([]byte("abcdefgh"), 1<<17) // 1 MiB
	v := newViewServer(t, map[string][]byte{"flaky.png": body})
	v.cutEvery = 64 << 10 // 16 cuts, more than Retries
	c := newTestClient(t, v.srv.URL)
	got, err := c.Download(testCtx(t), FileRef{Filename: "flaky.png"}, t.TempDir(), DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != sha(body) {
		t.Fatal("sha mismatch")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.ranges) <= c.cfg.Retries {
		t.Fatalf("only %d requests: the server did not cut as planned", len(v.ranges))
	}
}

// A file replaced on the server between the cut and the resume must not be
// spliced: If-Range carries the first response's ETag, the server sends
// the new file whole, and the hash is of the new file only.
func TestDownloadResumeDetectsChangedFile(t *testing.T) {
	old := bytes.Repeat([]byte("old!"), 1<<18)
	v := newViewServer(t, map[string][]byte{"c.png": old})
	v.cutAt, v.etag = 1<<17, `"v1"`
	replaced := bytes.Repeat([]byte("new?"), 1<<18)
	c := newTestClient(t, v.srv.URL)
	v.onResume = func() { v.files["c.png"], v.etag = replaced, `"v2"` }
	got, err := c.Download(testCtx(t), FileRef{Filename: "c.png"}, t.TempDir(), DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != sha(replaced) {
		t.Fatalf("sha %s is neither the new file nor refused", got.SHA256)
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if len(v.ifRanges) != 2 || v.ifRanges[1] != `"v1"` {
		t.Fatalf("If-Range headers %q", v.ifRanges)
	}
}
