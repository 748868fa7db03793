package cloud

import (
	"bytes"
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
)

// testKey is the cloud simulator's API key in these tests; a distinctive string so a
// leak into a log or diagnostic is easy to find.
const testKey = "sk-test-CLOUDKEY-4f2a9c"

// txt2img is a small graph the simulator runs with its default checkpoint.
const txt2img = `{
  "3": {"class_type": "KSampler", "inputs": {"seed": 42, "steps": 4, "cfg": 7.0, "sampler_name": "euler", "scheduler": "normal", "denoise": 1.0,
        "model": ["4", 0], "positive": ["6", 0], "negative": ["7", 0], "latent_image": ["5", 0]}},
  "4": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "sim_base.safetensors"}},
  "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 128, "height": 96, "batch_size": 1}},
  "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a lighthouse", "clip": ["4", 1]}},
  "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "blurry", "clip": ["4", 1]}},
  "8": {"class_type": "VAEDecode", "inputs": {"samples": ["3", 0], "vae": ["4", 2]}},
  "9": {"class_type": "SaveImage", "inputs": {"filename_prefix": "cloudtest/hero", "images": ["8", 0]}}
}`

func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// startCloudSim runs a cloud-flavour simulator on 127.0.0.1 (storage on 127.0.0.2).
func startCloudSim(t *testing.T, opts comfysim.Options) *comfysim.Server {
	t.Helper()
	opts.Flavor = "cloud"
	if opts.APIKey == "" {
		opts.APIKey = testKey
	}
	s, err := comfysim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// syncBuffer collects a provider's log lines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// serve configures a cloud provider with cfg (url filled in) behind the in-process
// gRPC harness, logging at trace level into the returned buffer.
func serve(t *testing.T, url string, cfg map[string]any) (plugins.Provider, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	log := hclog.New(&hclog.LoggerOptions{Output: logs, Level: hclog.Trace})
	impl := New("test", log)
	impl.taskPoll, impl.guardEvery = 5*time.Millisecond, 20*time.Millisecond
	p := plugins.ServeInProcess(t, impl, "cloud")
	if cfg == nil {
		cfg = map[string]any{}
	}
	cfg["url"] = url
	if _, ok := cfg["api_key"]; !ok {
		cfg["api_key"] = testKey
	}
	raw, _ := json.Marshal(cfg)
	if _, d := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: raw}); d.HasErrors() {
		t.Fatal(d)
	}
	t.Cleanup(func() { p.Stop(context.Background()) })
	return p, logs
}

// assertNoSecret fails when text contains a secret.
func assertNoSecret(t *testing.T, what, text string, secrets ...string) {
	t.Helper()
	for _, s := range secrets {
		if bytes.Contains([]byte(text), []byte(s)) {
			t.Errorf("%s contains a secret (%.8s...):\n%s", what, s, text)
		}
	}
}
