package comfysim

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// fixturesDir finds ../shared/fixtures/comfyui-0.3.64 beside the repo root
// (the directory holding go.mod); tests skip when it is absent.
func fixturesDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("repo root not found")
		}
		dir = parent
	}
	fx := filepath.Join(dir, "..", "shared", "fixtures", "comfyui-0.3.64")
	if _, err := os.Stat(fx); err != nil {
		t.Skipf("fixtures absent: %v", err)
	}
	return fx
}

func readFixture(t testing.TB, name string) any {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixturesDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return v
}

// transcript reads a ws_*.jsonl fixture: the text messages the server sent.
func transcript(t testing.TB, name string) []map[string]any {
	t.Helper()
	f, err := os.Open(filepath.Join(fixturesDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []map[string]any
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var line map[string]any
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatal(err)
		}
		if line["kind"] == "text" && line["dir"] == nil {
			out = append(out, line["json"].(map[string]any))
		} else if line["kind"] == "binary" {
			out = append(out, map[string]any{"type": fmt.Sprintf("binary%v", line["event_type_u32be"])})
		}
	}
	return out
}

func startSim(t testing.TB, opts Options) *Server {
	t.Helper()
	s, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func doJSON(t testing.TB, method, url string, body any) (int, http.Header, any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v any
	if len(b) > 0 && strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s %s: %v: %s", method, url, err, b)
		}
	} else if len(b) > 0 {
		v = string(b)
	}
	return resp.StatusCode, resp.Header, v
}

// shapeDiff lists where got differs from want in keys or JSON types.
// Arrays: each element of got is compared with the same index of want (or
// its last element).
func shapeDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want object, got %T", path, got)}
		}
		var out []string
		for _, k := range sortedMapKeys(w) {
			if _, ok := g[k]; !ok {
				out = append(out, fmt.Sprintf("%s: missing key %q", path, k))
				continue
			}
			out = append(out, shapeDiff(path+"."+k, w[k], g[k])...)
		}
		for _, k := range sortedMapKeys(g) {
			if _, ok := w[k]; !ok {
				out = append(out, fmt.Sprintf("%s: extra key %q", path, k))
			}
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: want array, got %T", path, got)}
		}
		var out []string
		if len(w) == 0 {
			return nil
		}
		for i := range g {
			out = append(out, shapeDiff(fmt.Sprintf("%s[%d]", path, i), w[min(i, len(w)-1)], g[i])...)
		}
		return out
	default:
		if fmt.Sprintf("%T", want) != fmt.Sprintf("%T", got) {
			return []string{fmt.Sprintf("%s: want %T (%v), got %T (%v)", path, want, want, got, got)}
		}
	}
	return nil
}

func sortedMapKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type wsConn struct {
	t *testing.T
	c *websocket.Conn
}

func dialWS(t *testing.T, base, path, clientID string) *wsConn {
	t.Helper()
	u := "ws" + strings.TrimPrefix(base, "http") + path
	if clientID != "" {
		u += "?clientId=" + clientID
	}
	c, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return &wsConn{t: t, c: c}
}

// next returns the next message; binary frames come back as
// {"type": "binaryN", "raw": bytes}. The read deadline is a safety bound.
func (w *wsConn) next() map[string]any {
	w.t.Helper()
	_ = w.c.SetReadDeadline(time.Now().Add(20 * time.Second))
	mt, data, err := w.c.ReadMessage()
	if err != nil {
		w.t.Fatalf("ws read: %v", err)
	}
	if mt == websocket.BinaryMessage {
		return map[string]any{"type": fmt.Sprintf("binary%d", int(data[3])), "raw": data}
	}
	var m map[string]any
	if err := json.Unmarshal(data, &m); err != nil {
		w.t.Fatal(err)
	}
	return m
}

// until collects messages up to and including the first one matching stop.
func (w *wsConn) until(stop func(map[string]any) bool) []map[string]any {
	w.t.Helper()
	var out []map[string]any
	for {
		m := w.next()
		out = append(out, m)
		if stop(m) {
			return out
		}
	}
}

func isExecutingNull(m map[string]any) bool {
	if m["type"] != "executing" {
		return false
	}
	d, _ := m["data"].(map[string]any)
	v, has := d["node"]
	return has && v == nil
}

func isType(typ string) func(map[string]any) bool {
	return func(m map[string]any) bool { return m["type"] == typ }
}

// signature renders a message sequence for order comparison: type, plus the
// node states of progress_state and the node of executing/executed.
func signature(msgs []map[string]any) []string {
	var out []string
	for _, m := range msgs {
		typ, _ := m["type"].(string)
		d, _ := m["data"].(map[string]any)
		switch typ {
		case "progress_state":
			nodes, _ := d["nodes"].(map[string]any)
			var parts []string
			for _, k := range sortedMapKeys(nodes) {
				n := nodes[k].(map[string]any)
				parts = append(parts, fmt.Sprintf("%s:%v", k, n["state"]))
			}
			typ += "{" + strings.Join(parts, ",") + "}"
		case "executing", "executed":
			typ += fmt.Sprintf("(%v)", d["node"])
		case "status":
			if _, ok := d["sid"]; ok {
				typ += "+sid"
			}
		}
		out = append(out, typ)
	}
	return out
}

func jsonStd(b []byte, v any) error { return json.Unmarshal(b, v) }

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
