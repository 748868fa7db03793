package local

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestFetchResumesAStalledBody: a body that stops arriving (no error, no end) is cut by
// the watchdog and resumed with Range.
func TestFetchResumesAStalledBody(t *testing.T) {
	content := testBytes(1 << 20)
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", strconv.Itoa(len(content)))
			w.Write(content[:len(content)/3])
			w.(http.Flusher).Flush()
			<-r.Context().Done() // stall until the client gives up on us
			return
		}
		http.ServeContent(w, r, "m", time.Unix(0, 0), bytes.NewReader(content))
	}))
	defer srv.Close()
	dest := filepath.Join(t.TempDir(), "m.bin")
	f := &fetcher{URL: srv.URL, Dest: dest, SHA256: sumHex(content), Stall: 300 * time.Millisecond}
	res, err := f.run(context.Background())
	if err != nil || res.SHA256 != sumHex(content) {
		t.Fatalf("run = %+v, %v", res, err)
	}
	if got, _ := os.ReadFile(dest); !bytes.Equal(got, content) {
		t.Fatal("content differs")
	}
	if calls.Load() < 2 {
		t.Fatalf("%d requests, want the stalled one and a resume", calls.Load())
	}
}

// TestParallelPlansShareTheHashCache: plans of many models at once (the core runs them
// in parallel) lose no cache entry.
func TestParallelPlansShareTheHashCache(t *testing.T) {
	ws := t.TempDir()
	p := wsProvider(t, ws, "", "")
	const n = 12
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		data := testBytes(1000 + i)
		writeModel(t, ws, fmt.Sprintf("models/loras/l%d.safetensors", i), data)
		wg.Add(1)
		go func() {
			defer wg.Done()
			plan, diags := p.PlanModel(context.Background(), plugins.ModelSpec{Folder: "loras", File: fmt.Sprintf("l%d.safetensors", i), SHA256: sumHex(data)})
			if diags.HasErrors() || plan.Status != plugins.ModelPresent {
				errs <- fmt.Errorf("model %d: %+v %v", i, plan, diags)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(loadHashCache(ws).Entries); got != n {
		t.Fatalf("cache holds %d entries, want %d", got, n)
	}
}
