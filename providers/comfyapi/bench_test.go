package comfyapi

import (
	"context"
	"testing"
)

// BenchmarkDownload measures /view streaming throughput (hash + .part +
// rename) for a 64 MiB output served from memory on loopback.
func BenchmarkDownload(b *testing.B) {
	const size = 64 << 20
	body := make([]byte, size)
	for i := range body {
		body[i] = byte(i>>8) ^ byte(i)
	}
	v := newViewServer(b, map[string][]byte{"big.bin": body})
	c := newTestClient(b, v.srv.URL)
	root := b.TempDir()
	ref := FileRef{Filename: "big.bin", Type: "output"}
	opt := DownloadOptions{Owned: func(string) bool { return true }}
	b.SetBytes(size)
	for b.Loop() {
		got, err := c.Download(context.Background(), ref, root, opt)
		if err != nil {
			b.Fatal(err)
		}
		if got.Size != size {
			b.Fatalf("size %d", got.Size)
		}
	}
}
