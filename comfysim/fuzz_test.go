package comfysim

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/gorilla/websocket"
)

// FuzzViewGuard: whatever filename/subfolder/type a client sends, /view
// never serves a file outside the data directories.
func FuzzViewGuard(f *testing.F) {
	root := f.TempDir()
	data := filepath.Join(root, "data")
	s := startSim(f, Options{DataDir: data})
	secret := []byte("SECRET-OUTSIDE-THE-DATA-DIR")
	for _, p := range []string{filepath.Join(root, "secret.png"), filepath.Join(data, "secret.png")} {
		if err := os.WriteFile(p, secret, 0o644); err != nil {
			f.Fatal(err)
		}
	}
	_ = os.WriteFile(filepath.Join(s.OutputDir(), "ok.png"), []byte("ok"), 0o644)
	for _, seed := range [][3]string{
		{"ok.png", "", "output"}, {"../secret.png", "", "output"}, {"secret.png", "..", "output"},
		{"secret.png", "../..", "input"}, {"secret.png", root, "output"}, {"secret.png", "/", "temp"},
		{"secret.png [output]", "..", "input"}, {"..\\secret.png", "", "output"}, {"secret.png", "sub/../..", "output"},
		{"secret.png", "%2e%2e", "output"}, {"/secret.png", "", "output"}, {"secret.png", ".", "output"},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	f.Fuzz(func(t *testing.T, name, sub, typ string) {
		q := url.Values{"filename": {name}, "subfolder": {sub}, "type": {typ}}
		resp, err := http.Get(s.URL() + "/view?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == 200 && string(body) == string(secret) {
			t.Fatalf("served a file outside the data dirs for filename=%q subfolder=%q type=%q", name, sub, typ)
		}
	})
}

func BenchmarkModelHostDownload(b *testing.B) {
	s := startSim(b, Options{})
	const size = 64 << 20
	u := s.ModelFileURL("bench.safetensors", size)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := http.Get(u)
		if err != nil {
			b.Fatal(err)
		}
		n, err := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if err != nil || n != size {
			b.Fatalf("%d bytes, %v", n, err)
		}
	}
}

// BenchmarkPromptRoundTrip is one uncached EmptyImage -> ImageInvert ->
// SaveImage prompt: submit, follow the socket to executing{node: null}.
func BenchmarkPromptRoundTrip(b *testing.B) {
	s := startSim(b, Options{Faults: Faults{StepDelay: -1, HistoryLag: -1}})
	u := "ws" + s.URL()[len("http"):] + "/ws?clientId=bench"
	c, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	_, _, _ = c.ReadMessage()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		body, _ := json.Marshal(map[string]any{"client_id": "bench", "prompt": benchGraph(i)})
		resp, err := http.Post(s.URL()+"/prompt", "application/json", bytes.NewReader(body))
		if err != nil || resp.StatusCode != 200 {
			b.Fatalf("submit: %v %v", err, resp)
		}
		resp.Body.Close()
		for {
			var m struct {
				Type string         `json:"type"`
				Data map[string]any `json:"data"`
			}
			if err := c.ReadJSON(&m); err != nil {
				b.Fatal(err)
			}
			if v, ok := m.Data["node"]; m.Type == "executing" && ok && v == nil {
				break
			}
		}
	}
}

func benchGraph(i int) map[string]any {
	return map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 8, "height": 8, "batch_size": 1, "color": i}},
		"2": map[string]any{"class_type": "ImageInvert", "inputs": map[string]any{"image": []any{"1", 0}}},
		"3": map[string]any{"class_type": "SaveImage", "inputs": map[string]any{"images": []any{"2", 0}, "filename_prefix": "bench"}},
	}
}
