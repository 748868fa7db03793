package comfyapi

import (
	"context"
	"os"
	"strconv"
	"testing"
)

// BenchmarkDownload measures /view streaming throughput (hash + .part +
// fsync + rename) for an output served from memory on loopback: 64 MiB, or
// COMFYAPI_BENCH_MIB MiB (1024 for the 1 GiB figure).
func BenchmarkDownload(b *testing.B) {
	size := 64 << 20
	if mib, err := strconv.Atoi(os.Getenv("COMFYAPI_BENCH_MIB")); err == nil && mib > 0 {
		size = mib << 20
	}
	body := make([]byte, size)
	for i := range body {
		body[i] = byte(i>>8) ^ byte(i)
	}
	v := newViewServer(b, map[string][]byte{"big.bin": body})
	c := newTestClient(b, v.srv.URL)
	root := b.TempDir()
	ref := FileRef{Filename: "big.bin", Type: "output"}
	opt := DownloadOptions{Owned: func(string) bool { return true }}
	b.SetBytes(int64(size))
	for b.Loop() {
		got, err := c.Download(context.Background(), ref, root, opt)
		if err != nil {
			b.Fatal(err)
		}
		if got.Size != int64(size) {
			b.Fatalf("size %d", got.Size)
		}
	}
}
