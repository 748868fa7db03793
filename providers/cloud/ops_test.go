package cloud

import (
	"bytes"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestQueueAndCancel: on the standard tier (one job at a time) a second job waits;
// cancelling it removes it from the queue, cancelling the first interrupts it. Jobs
// are slowed down only so both are still there when listed; nothing is timed.
func TestQueueAndCancel(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{Tier: "standard", Faults: comfysim.Faults{StepDelay: 100 * time.Millisecond}})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	slow := strings.Replace(txt2img, `"steps": 4`, `"steps": 200`, 1)
	first, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(slow)})
	if d.HasErrors() {
		t.Fatal(d)
	}
	second, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(strings.Replace(slow, `"seed": 42`, `"seed": 43`, 1))})
	if d.HasErrors() {
		t.Fatal(d)
	}
	q, d := p.Queue(ctx, plugins.QueueRequest{Op: plugins.QueueList})
	if d.HasErrors() || len(q.Running)+len(q.Pending) != 2 {
		t.Fatalf("queue %+v %v", q, d)
	}
	lr, d := p.Logs(ctx, plugins.LogsRequest{PromptID: second.PromptID})
	if d.HasErrors() || lr.Status == "" || terminalState(lr.Status) {
		t.Errorf("logs of a waiting job: %+v %v", lr, d)
	}
	if d := p.Cancel(ctx, second.PromptID); d.HasErrors() {
		t.Fatal(d)
	}
	if d := p.Cancel(ctx, first.PromptID); d.HasErrors() {
		t.Fatal(d)
	}
	for _, id := range []string{first.PromptID, second.PromptID} {
		var last plugins.Event
		if d := p.Watch(ctx, plugins.WatchRequest{PromptID: id}, func(ev plugins.Event) { last = ev }); d.HasErrors() {
			t.Fatal(d)
		}
		if last.Kind != plugins.EventInterrupted {
			t.Errorf("prompt %s ended %v, want interrupted", id, last.Kind)
		}
	}
	q, d = p.Queue(ctx, plugins.QueueRequest{Op: plugins.QueueCancel, PromptIDs: []string{"no-such-id"}})
	if d.HasErrors() || len(d) != 1 || !strings.Contains(d[0].Detail, "no-such-id") || len(q.Pending) != 0 {
		t.Errorf("cancel of an unknown id: %+v %v", q, d)
	}
	if n := sim.Stats().Requests["POST /api/interrupt"]; n < 1 {
		t.Errorf("%d interrupts sent", n)
	}
}

func TestUploadImageAndMask(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 8, 8)))
	path := filepath.Join(t.TempDir(), "photo.png")
	os.WriteFile(path, buf.Bytes(), 0o644)
	res, d := p.Upload(ctx, plugins.UploadRequest{Path: path})
	if d.HasErrors() || res.Name == "" || res.Type != "input" {
		t.Fatalf("upload: %+v %v", res, d)
	}
	mask, d := p.Upload(ctx, plugins.UploadRequest{Path: path, Name: "mask.png", Mask: true, OriginalRef: res.Name})
	if d.HasErrors() || mask.Name == "" {
		t.Fatalf("mask upload: %+v %v", mask, d)
	}
	if _, d := p.Upload(ctx, plugins.UploadRequest{Path: t.TempDir()}); !d.HasErrors() {
		t.Error("uploaded a directory")
	}
	if _, d := p.Upload(ctx, plugins.UploadRequest{Path: path, Mask: true}); !d.HasErrors() {
		t.Error("mask without the image it belongs to")
	}
}
