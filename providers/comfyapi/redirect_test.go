package comfyapi

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// listenOn starts a server on a specific loopback address, skipping when
// the host cannot bind it (127.0.0.2 needs the whole 127/8 on lo).
func listenOn(t *testing.T, addr string, h http.Handler) *httptest.Server {
	t.Helper()
	l, err := net.Listen("tcp", addr+":0")
	if err != nil {
		t.Skipf("cannot listen on %s: %v", addr, err)
	}
	s := httptest.NewUnstartedServer(h)
	s.Listener.Close()
	s.Listener = l
	s.Start()
	t.Cleanup(s.Close)
	return s
}

// storage is the second host: like Cloud's signed-URL bucket it answers
// 403 to any request carrying credentials, and remembers that it saw them.
type storage struct {
	mu     sync.Mutex
	leaks  []string
	served int
}

var credentialHeaders = []string{"X-Api-Key", "Authorization", "Cookie", "X-Proxy-Secret"}

func (s *storage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, h := range credentialHeaders {
		if r.Header.Get(h) != "" {
			s.leaks = append(s.leaks, fmt.Sprintf("%s %s carried %s", r.Method, r.URL.Path, h))
		}
	}
	if len(s.leaks) > 0 {
		w.WriteHeader(http.StatusForbidden)
		return
	}
	s.served++
	switch {
	case strings.HasPrefix(r.URL.Path, "/signed/view"):
		w.Header().Set("Content-Type", "image/png")
		w.Write(pngMagic)
	case strings.HasPrefix(r.URL.Path, "/signed/history"):
		json.NewEncoder(w).Encode(map[string]any{})
	case r.URL.Path == "/signed/prompt":
		w.Write([]byte(`{"prompt_id": "p1", "number": 1, "node_errors": {}}`))
	case r.URL.Path == "/signed/upload/image":
		w.Write([]byte(`{"name": "u.png", "subfolder": "", "type": "input"}`))
	default:
		w.Write([]byte(`{"system": {"comfyui_version": "x"}, "devices": []}`))
	}
}

func TestRedirectsNeverCarryCredentialsOffOrigin(t *testing.T) {
	for _, storageHost := range []string{"127.0.0.2", "127.0.0.1"} { // other host; same host, other port
		t.Run(storageHost, func(t *testing.T) {
			store := &storage{}
			bucket := listenOn(t, storageHost, store)
			var originSawKey []string
			var mu sync.Mutex
			origin := listenOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				mu.Lock()
				originSawKey = append(originSawKey, r.URL.Path+"="+r.Header.Get("X-Api-Key"))
				mu.Unlock()
				if r.URL.Path == "/api/hop/system_stats" { // same-origin hop first
					http.Redirect(w, r, bucket.URL+"/signed/stats", http.StatusFound)
					return
				}
				if r.URL.Path == "/api/system_stats" {
					http.Redirect(w, r, "/api/hop/system_stats", http.StatusFound)
					return
				}
				target := bucket.URL + "/signed" + strings.TrimPrefix(r.URL.Path, "/api")
				http.Redirect(w, r, target, http.StatusTemporaryRedirect)
			}))
			c, err := New(Config{BaseURL: origin.URL, Flavor: FlavorCloud, APIKey: "cloud-key", Token: "bearer",
				Headers: map[string]string{"Cookie": "session=1", "X-Proxy-Secret": "s"}, QuietInterval: 50e6})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			ctx := testCtx(t)
			if _, err := c.Download(ctx, FileRef{Filename: "a.png"}, t.TempDir(), DownloadOptions{}); err != nil {
				t.Errorf("download: %v", err)
			}
			if _, err := c.History(ctx, "p1"); err != nil {
				t.Errorf("history: %v", err)
			}
			if _, err := c.SystemStats(ctx); err != nil {
				t.Errorf("system_stats: %v", err)
			}
			c.hub.close() // no socket needed: only the POST redirects matter here
			if _, err := c.Submit(ctx, json.RawMessage(`{"1": {"class_type": "X", "inputs": {}}}`), nil); err != nil {
				t.Errorf("submit: %v", err)
			}
			if _, err := c.UploadImage(ctx, "u.png", pngMagic, UploadOptions{}); err != nil {
				t.Errorf("upload: %v", err)
			}
			store.mu.Lock()
			defer store.mu.Unlock()
			if len(store.leaks) > 0 || store.served != 5 {
				t.Fatalf("leaks %v (served %d)", store.leaks, store.served)
			}
			mu.Lock()
			defer mu.Unlock()
			for _, seen := range originSawKey {
				if !strings.HasSuffix(seen, "=cloud-key") {
					t.Errorf("origin hop lost its key: %s", seen)
				}
			}
		})
	}
}

func TestCallerRedirectPolicyCannotReopenTheLeak(t *testing.T) {
	store := &storage{}
	bucket := listenOn(t, "127.0.0.2", store)
	origin := listenOn(t, "127.0.0.1", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, bucket.URL+"/signed/stats", http.StatusFound)
	}))
	var consulted bool
	own := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { consulted = true; return nil }}
	c, err := New(Config{BaseURL: origin.URL, APIKey: "k", HTTPClient: own})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.SystemStats(testCtx(t)); err != nil {
		t.Fatal(err)
	}
	store.mu.Lock()
	defer store.mu.Unlock()
	if len(store.leaks) > 0 || !consulted {
		t.Fatalf("leaks %v, caller policy consulted %v", store.leaks, consulted)
	}
}
