package comfyapi

import (
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

// BenchmarkDownloadVsCurl downloads the same output from comfysim's /view with this
// client (sha256 on the fly, .part, fsync, rename) and with curl, in one run, and reports
// the throughput ratio (the design's goal is >= 0.9) and the Go heap's peak growth. The
// file is 1 GiB, or COMFYAPI_BENCH_MIB MiB. Without curl on PATH only our side runs.
func BenchmarkDownloadVsCurl(b *testing.B) {
	size := int64(1 << 30)
	if mib, err := strconv.Atoi(os.Getenv("COMFYAPI_BENCH_MIB")); err == nil && mib > 0 {
		size = int64(mib) << 20
	}
	sim, err := comfysim.New(comfysim.Options{})
	if err != nil {
		b.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	writeBigOutput(b, filepath.Join(sim.OutputDir(), "big.bin"), size)
	c := newTestClient(b, sim.URL())
	ref := FileRef{Filename: "big.bin", Type: "output"}
	curl, _ := exec.LookPath("curl")
	var ours, theirs time.Duration
	var peak uint64
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		root := b.TempDir()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		start := time.Now()
		if _, err := c.Download(context.Background(), ref, root, DownloadOptions{}); err != nil {
			b.Fatal(err)
		}
		ours += time.Since(start)
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		peak = max(peak, after.HeapSys-min(after.HeapSys, before.HeapSys))
		os.RemoveAll(root)
		if curl != "" {
			out := filepath.Join(b.TempDir(), "big.bin")
			start = time.Now()
			if err := exec.Command(curl, "-sf", "-o", out, sim.URL()+"/view?filename=big.bin&type=output").Run(); err != nil {
				b.Fatal(err)
			}
			theirs += time.Since(start)
			os.Remove(out)
		}
	}
	mb := float64(size) * float64(b.N) / 1e6
	b.ReportMetric(mb/ours.Seconds(), "ours-MB/s")
	b.ReportMetric(float64(peak)/(1<<20), "heap-growth-MiB")
	if curl != "" {
		b.ReportMetric(mb/theirs.Seconds(), "curl-MB/s")
		b.ReportMetric(theirs.Seconds()/ours.Seconds(), "ours/curl-throughput")
	}
}

// writeBigOutput writes size deterministic bytes without holding them in memory.
func writeBigOutput(b *testing.B, path string, size int64) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	chunk := make([]byte, 1<<20)
	for i := range chunk {
		chunk[i] = byte(i*31) ^ byte(i>>8)
	}
	if _, err := io.CopyN(f, repeatReader(chunk), size); err != nil {
		b.Fatal(err)
	}
}

type repeatReader []byte

func (r repeatReader) Read(p []byte) (int, error) { return copy(p, r), nil }
