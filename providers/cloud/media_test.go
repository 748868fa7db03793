package cloud

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// mediaGraph saves a video (Cloud reports it under `video`), an animated WEBP (under
// `images`) and audio (under `audio`).
const mediaGraph = `{
  "1": {"class_type": "EmptyImage", "inputs": {"width": 32, "height": 24, "batch_size": 1, "color": 1}},
  "2": {"class_type": "RepeatImageBatch", "inputs": {"image": ["1", 0], "amount": 3}},
  "3": {"class_type": "CreateVideo", "inputs": {"images": ["2", 0], "fps": 8.0}},
  "4": {"class_type": "SaveVideo", "inputs": {"video": ["3", 0], "filename_prefix": "video/clip", "format": "auto", "codec": "auto"}},
  "5": {"class_type": "SaveAnimatedWEBP", "inputs": {"images": ["2", 0], "filename_prefix": "anim", "fps": 6.0, "lossless": true, "quality": 80, "method": "default"}},
  "6": {"class_type": "EmptyLatentAudio", "inputs": {"seconds": 2.0, "batch_size": 1}},
  "7": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sim_base.safetensors"}},
  "8": {"class_type": "VAEDecodeAudio", "inputs": {"samples": ["6", 0], "vae": ["7", 2]}},
  "9": {"class_type": "SaveAudio", "inputs": {"audio": ["8", 0], "filename_prefix": "audio/voice"}}
}`

// TestMediaOutputsThroughSignedStorage renders video, animated WEBP and audio on the
// cloud simulator and fetches all three through the 302 to storage.
func TestMediaOutputsThroughSignedStorage(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	sub, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(mediaGraph)})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if d := p.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID}, func(plugins.Event) {}); d.HasErrors() {
		t.Fatal(d)
	}
	dir := t.TempDir()
	res, d := p.Fetch(ctx, plugins.FetchRequest{PromptID: sub.PromptID, OutputDir: dir})
	if d.HasErrors() || res.Status != plugins.JobSucceeded {
		t.Fatalf("fetch: %+v %v", res, d)
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].NodeID < res.Files[j].NodeID })
	want := []struct{ node, prefix, ext string }{{"4", "video/clip", ".mp4"}, {"5", "anim", ".webp"}, {"9", "audio/voice", ".flac"}}
	if len(res.Files) != len(want) {
		t.Fatalf("files %+v", res.Files)
	}
	for i, w := range want {
		f := res.Files[i]
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(f.Path)))
		sum := sha256.Sum256(data)
		if err != nil || f.NodeID != w.node || !strings.HasPrefix(f.Path, w.prefix) || filepath.Ext(f.Path) != w.ext ||
			hex.EncodeToString(sum[:]) != f.SHA256 || f.MediaType == "" {
			t.Errorf("file %d: %+v (%v)", i, f, err)
		}
	}
}
