package comfyapi

import (
	"encoding/json"
	"os"
	"testing"
)

// Live tests run against a real server when COMFYUI_URL (local) or
// COMFY_CLOUD_API_KEY (Cloud; COMFY_CLOUD_URL overrides the URL) is set,
// and skip cleanly otherwise. The local one renders a model-free graph;
// the Cloud one only reads, so it spends no credits.

func TestLiveLocalRender(t *testing.T) {
	url := os.Getenv("COMFYUI_URL")
	if url == "" {
		t.Skip("COMFYUI_URL not set")
	}
	c, err := New(Config{BaseURL: url})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t)
	stats, err := c.SystemStats(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("ComfyUI %s", stats.System.ComfyUIVersion)
	graph := json.RawMessage(`{
		"1": {"class_type": "EmptyImage", "inputs": {"width": 64, "height": 48, "batch_size": 1, "color": 3368601}},
		"2": {"class_type": "ImageInvert", "inputs": {"image": ["1", 0]}},
		"3": {"class_type": "SaveImage", "inputs": {"images": ["2", 0], "filename_prefix": "comfyapi_live"}}}`)
	res, err := c.Submit(ctx, graph, nil)
	if err != nil {
		t.Fatal(err)
	}
	var events eventLog
	out, err := c.Wait(ctx, res.PromptID, events.add)
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != StatusSuccess || len(out.Outputs) == 0 {
		t.Fatalf("outcome %+v (events %v)", out, events.types())
	}
	got, err := c.Download(ctx, out.Outputs[0], t.TempDir(), DownloadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("downloaded %s: %d bytes, sha256 %s, %s; events %v", got.RelPath, got.Size, got.SHA256, got.MediaType, events.types())
}

func TestLiveCloudRead(t *testing.T) {
	key := os.Getenv("COMFY_CLOUD_API_KEY")
	if key == "" {
		t.Skip("COMFY_CLOUD_API_KEY not set")
	}
	url := os.Getenv("COMFY_CLOUD_URL")
	if url == "" {
		url = "https://cloud.comfy.org"
	}
	c, err := New(Config{BaseURL: url, Flavor: FlavorCloud, APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	ctx := testCtx(t)
	if _, err := c.SystemStats(ctx); err != nil {
		t.Fatal(err)
	}
	names, err := c.Models(ctx, "checkpoints")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d checkpoints", len(names))
}
