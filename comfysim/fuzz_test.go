package comfysim

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"
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
