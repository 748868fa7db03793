package comfyapi

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gorilla/websocket"
)

// fakeComfy serves fixture bodies on 127.0.0.1 and replays one WebSocket
// transcript: the connect frame at once, the run after POST /prompt.
type fakeComfy struct {
	t   testing.TB
	srv *httptest.Server
	tr  transcript

	history    []byte // body of /history/{tr.promptID}
	historyLag int    // answer {} this many times first (the history race)
	cutAfter   int    // close the first socket after this many frames
	drop       func(i int) bool
	routes     map[string]http.HandlerFunc // extra or overriding routes
	onRequest  func(*http.Request)         // sees every request first

	mu           sync.Mutex
	historyCalls int
	sockets      int
	prompts      []map[string]any
	submitted    chan struct{}
	submitOnce   sync.Once
	quit         chan struct{}
}

func newFakeComfy(t testing.TB, wsFixture, historyFixture string) *fakeComfy {
	t.Helper()
	f := &fakeComfy{t: t, submitted: make(chan struct{}), quit: make(chan struct{}), routes: map[string]http.HandlerFunc{}}
	if wsFixture != "" {
		f.tr = loadTranscript(t, wsFixture)
	}
	if historyFixture != "" {
		f.history = rekeyHistory(t, readFixture(t, historyFixture), f.tr.promptID)
	}
	f.srv = httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(func() {
		close(f.quit)
		f.srv.Close()
	})
	return f
}

func (f *fakeComfy) client(t testing.TB, mutate ...func(*Config)) *Client {
	t.Helper()
	cfg := Config{BaseURL: f.srv.URL, QuietInterval: 50e6}
	for _, m := range mutate {
		m(&cfg)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func (f *fakeComfy) serve(w http.ResponseWriter, r *http.Request) {
	if f.onRequest != nil {
		f.onRequest(r)
	}
	if h, ok := f.routes[r.URL.Path]; ok {
		h(w, r)
		return
	}
	switch {
	case r.URL.Path == "/ws":
		f.serveWS(w, r)
	case r.URL.Path == "/prompt" && r.Method == http.MethodPost:
		var body map[string]any
		_ = json.NewDecoder(r.Body).Decode(&body)
		f.mu.Lock()
		f.prompts = append(f.prompts, body)
		f.mu.Unlock()
		fmt.Fprintf(w, `{"prompt_id": %q, "number": 12, "node_errors": {}}`, f.tr.promptID)
		f.submitOnce.Do(func() { close(f.submitted) })
	case strings.HasPrefix(r.URL.Path, "/history/"):
		f.mu.Lock()
		f.historyCalls++
		lagging := f.historyCalls <= f.historyLag
		f.mu.Unlock()
		if lagging || strings.TrimPrefix(r.URL.Path, "/history/") != f.tr.promptID || f.history == nil {
			io.WriteString(w, "{}")
			return
		}
		w.Write(f.history)
	default:
		http.NotFound(w, r)
	}
}

var upgrader = websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}

func (f *fakeComfy) serveWS(w http.ResponseWriter, r *http.Request) {
	conn, err := upgrader.Upgrade(w, r, nil)
	if err != nil {
		return
	}
	defer conn.Close()
	f.mu.Lock()
	f.sockets++
	first := f.sockets == 1
	f.mu.Unlock()
	go func() { // drain client messages (feature_flags); ends when the socket does
		for {
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	}()
	go func() {
		<-f.quit
		conn.Close()
	}()
	frames := f.tr.frames
	if !first || len(frames) == 0 { // a reconnect hears only the greeting
		conn.WriteJSON(map[string]any{"type": "status", "data": map[string]any{"status": map[string]any{"exec_info": map[string]any{"queue_remaining": 0}}}})
		<-f.quit
		return
	}
	sent := 0
	for i, fr := range frames {
		if i == 1 {
			select {
			case <-f.submitted:
			case <-f.quit:
				return
			}
		}
		if f.cutAfter > 0 && sent >= f.cutAfter {
			return
		}
		if f.drop != nil && i > 0 && f.drop(i) {
			continue
		}
		kind := websocket.TextMessage
		if fr.binary {
			kind = websocket.BinaryMessage
		}
		if conn.WriteMessage(kind, fr.data) != nil {
			return
		}
		sent++
	}
	<-f.quit
}

func (f *fakeComfy) socketCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.sockets
}

// invertGraph is the captured EmptyImage -> ImageInvert -> SaveImage graph.
func invertGraph(t testing.TB) json.RawMessage {
	var req struct {
		Prompt json.RawMessage `json:"prompt"`
	}
	if err := json.Unmarshal(readFixture(t, "prompt_post_valid_request.json"), &req); err != nil {
		t.Fatal(err)
	}
	return req.Prompt
}

// rekeyHistory serves a captured entry under the transcript's prompt id
// (some captures come from different runs of the same graph).
func rekeyHistory(t testing.TB, body []byte, promptID string) []byte {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil || len(m) != 1 {
		t.Fatalf("history fixture is not a one-entry map: %v", err)
	}
	for _, v := range m {
		out, _ := json.Marshal(map[string]json.RawMessage{promptID: v})
		return out
	}
	return nil
}
