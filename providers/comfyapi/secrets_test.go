package comfyapi

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/go-hclog"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// Credentials reach the server on every request and on the socket, and
// never reach the log, even at trace level and even on failures.
func TestCredentialsSentButNeverLogged(t *testing.T) {
	f := newFakeComfy(t, "ws_run_success_invert.jsonl", "history_success.json")
	var mu sync.Mutex
	var unauthenticated []string
	f.onRequest = func(r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer local-token" || r.Header.Get("X-Team") != "t1" {
			mu.Lock()
			unauthenticated = append(unauthenticated, r.URL.Path)
			mu.Unlock()
		}
	}

	var logs syncBuffer
	logger := hclog.New(&hclog.LoggerOptions{Output: &logs, Level: hclog.Trace})
	c := f.client(t, func(cfg *Config) {
		cfg.Token, cfg.PartnerKey, cfg.Logger = "local-token", "partner-secret", logger
		cfg.Headers = map[string]string{"X-Team": "t1"}
	})
	out, _ := submitAndWait(t, f, c)
	if out.Status != StatusSuccess {
		t.Fatalf("outcome %+v", out)
	}
	c.Models(testCtx(t), "missing") // a failure path, logged at debug
	mu.Lock()
	defer mu.Unlock()
	if len(unauthenticated) > 0 {
		t.Errorf("requests without credentials: %v", unauthenticated)
	}
	for _, secret := range []string{"local-token", "partner-secret"} {
		if strings.Contains(logs.String(), secret) {
			t.Errorf("log contains %q:\n%s", secret, logs.String())
		}
	}
}
