package local

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// modelHost serves deterministic bytes with Range support, and can cut connections
// halfway or answer 503 for the first requests.
type modelHost struct {
	t       *testing.T
	content []byte
	noRange bool

	mu       sync.Mutex
	cuts     int // remaining requests to cut halfway
	fails    int // remaining requests to answer 503
	requests int
	ranges   []string
	auth     []string
}

func newModelHost(t *testing.T, size int) (*modelHost, *httptest.Server) {
	h := &modelHost{t: t, content: testBytes(size)}
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return h, srv
}

func testBytes(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + i/251)
	}
	return b
}

func sumHex(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

func (h *modelHost) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock()
	h.requests++
	h.ranges = append(h.ranges, r.Header.Get("Range"))
	h.auth = append(h.auth, r.Header.Get("Authorization"))
	fail, cut := h.fails > 0, false
	if fail {
		h.fails--
	} else if h.cuts > 0 {
		h.cuts--
		cut = true
	}
	h.mu.Unlock()
	if fail {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if h.noRange {
		r.Header.Del("Range")
	}
	if cut {
		// Announce the whole remainder, send half of it, then drop the connection.
		start := 0
		if rg := r.Header.Get("Range"); rg != "" {
			start, _ = strconv.Atoi(rg[len("bytes=") : len(rg)-1])
			w.Header().Set("Content-Range", "bytes "+strconv.Itoa(start)+"-"+strconv.Itoa(len(h.content)-1)+"/"+strconv.Itoa(len(h.content)))
			w.Header().Set("Content-Length", strconv.Itoa(len(h.content)-start))
			w.WriteHeader(http.StatusPartialContent)
		} else {
			w.Header().Set("Content-Length", strconv.Itoa(len(h.content)))
			w.WriteHeader(http.StatusOK)
		}
		w.Write(h.content[start : start+(len(h.content)-start)/2])
		w.(http.Flusher).Flush()
		panic(http.ErrAbortHandler)
	}
	http.ServeContent(w, r, "model.safetensors", time.Unix(0, 0), bytes.NewReader(h.content))
}

func (h *modelHost) stats() (int, []string, []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests, append([]string(nil), h.ranges...), append([]string(nil), h.auth...)
}

// wsProvider is a local provider configured with a workspace (and optionally a server
// and registry); the server URL defaults to one that refuses connections.
func wsProvider(t *testing.T, ws, serverURL, registryURL string) *Provider {
	t.Helper()
	if serverURL == "" {
		serverURL = "http://127.0.0.1:1"
	}
	cfg, _ := json.Marshal(map[string]any{"url": serverURL, "workspace": ws, "registry_url": registryURL})
	p := New("test", nil)
	if _, diags := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: cfg}); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	t.Cleanup(func() { p.Stop(context.Background()) })
	return p
}
