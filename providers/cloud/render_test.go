package cloud

import (
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestRenderEndToEnd submits, watches and fetches a render against the cloud simulator.
// The output comes through /api/view's 302 to the storage listener on another host,
// which answers 403 to any request carrying X-API-Key: the download succeeding is the
// proof that the key stayed behind.
func TestRenderEndToEnd(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{PreviewMethod: "auto"})
	p, logs := serve(t, sim.URL(), nil)
	ctx := testCtx(t)

	sub, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(txt2img), Instance: "render.hero"})
	if d.HasErrors() || sub.PromptID == "" {
		t.Fatalf("submit: %+v %v", sub, d)
	}
	var kinds, previews []string
	previewDir := t.TempDir()
	d = p.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID, PreviewsDir: previewDir}, func(ev plugins.Event) {
		if ev.PromptID != "" && ev.PromptID != sub.PromptID {
			t.Errorf("event of another prompt: %+v", ev)
		}
		kinds = append(kinds, ev.Kind.String())
		if ev.PreviewPath != "" {
			previews = append(previews, ev.PreviewPath)
		}
	})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if len(kinds) == 0 || kinds[len(kinds)-1] != "succeeded" {
		t.Fatalf("events %v, want a final succeeded", kinds)
	}
	if len(previews) == 0 {
		t.Errorf("no previews saved (events %v)", kinds)
	}
	for _, pv := range previews {
		if fi, err := os.Stat(pv); err != nil || fi.Size() == 0 || filepath.Dir(pv) != previewDir {
			t.Errorf("preview %s: %v", pv, err)
		}
	}
	dir := t.TempDir()
	res, d := p.Fetch(ctx, plugins.FetchRequest{PromptID: sub.PromptID, OutputDir: dir})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if res.Status != plugins.JobSucceeded || len(res.Files) != 1 {
		t.Fatalf("fetch: %+v", res)
	}
	f := res.Files[0]
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != f.SHA256 || int64(len(data)) != f.Size || f.MediaType != "image/png" || f.NodeID != "9" {
		t.Errorf("file %+v does not match disk (sha256 %x, %d bytes)", f, sum, len(data))
	}
	if !strings.HasPrefix(f.Path, "cloudtest/") {
		t.Errorf("output %s should keep the server's subfolder", f.Path)
	}
	if n := sim.Stats().Requests["GET storage /o/{token}"]; n < 1 {
		t.Errorf("the storage listener served %d requests; the download did not take the signed-URL path", n)
	}
	if u, _ := url.Parse(sim.StorageURL()); u.Hostname() == "127.0.0.1" {
		t.Log("127.0.0.2 unavailable: storage shares the API's host (different port)")
	}
	assertNoSecret(t, "provider log", logs.String(), testKey)
}

// TestFailedRenderReportsNodeError: an execution error comes back as a failed job with
// the node and exception, not as outputs.
func TestFailedRenderReportsNodeError(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{Faults: comfysim.Faults{FailClass: "KSampler", FailMessage: "sampler exploded"}})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	sub, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(txt2img)})
	if d.HasErrors() {
		t.Fatal(d)
	}
	var last plugins.Event
	if d := p.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID}, func(ev plugins.Event) { last = ev }); d.HasErrors() {
		t.Fatal(d)
	}
	if last.Kind != plugins.EventFailed || last.Error == nil || last.Error.NodeID != "3" || !strings.Contains(last.Error.ExceptionMessage, "sampler exploded") {
		t.Fatalf("last event %+v error %+v", last, last.Error)
	}
	res, d := p.Fetch(ctx, plugins.FetchRequest{PromptID: sub.PromptID, OutputDir: t.TempDir()})
	if d.HasErrors() || res.Status != plugins.JobFailed || len(res.Files) != 0 || res.Error == nil {
		t.Fatalf("fetch: %+v %v", res, d)
	}
	lr, d := p.Logs(ctx, plugins.LogsRequest{PromptID: sub.PromptID, ServerLogLines: 10})
	if d.HasErrors() || lr.Status != "error" || lr.Error == nil || len(d) != 1 || d[0].Severity != plugins.SeverityWarning {
		t.Fatalf("logs: %+v %v", lr, d)
	}
}
