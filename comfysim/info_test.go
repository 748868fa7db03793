package comfysim

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestInfoRoutesFidelity compares the state-independent GET routes of
// status_codes.tsv / http_log.json with the capture (status and shape).
func TestInfoRoutesFidelity(t *testing.T) {
	s := startSim(t, Options{})
	cases := []struct {
		path, fixture string
		code          int
		exact         bool
	}{
		{"/system_stats", "system_stats.json", 200, false},
		{"/object_info/SaveImage", "object_info_SaveImage.json", 200, true},
		{"/object_info/KSampler", "object_info_KSampler.json", 200, true},
		{"/object_info/CheckpointLoaderSimple", "", 200, false},
		{"/object_info/NoSuchNodeXYZ", "", 200, false},
		{"/models", "models.json", 200, true},
		{"/models/loras", "", 200, false},
		{"/models/nosuchfolder", "", 404, false},
		{"/embeddings", "embeddings.json", 200, true},
		{"/extensions", "extensions.json", 200, true},
		{"/features", "features.json", 200, true},
		{"/queue", "queue_idle.json", 200, true},
		{"/prompt", "prompt_get_idle.json", 200, true},
		{"/history", "", 200, false},
		{"/history/not-a-real-id", "", 200, false},
		{"/nonexistent_route_xyz", "", 404, false},
		{"/", "", 200, false},
	}
	for _, c := range cases {
		for _, prefix := range []string{"", "/api"} {
			if prefix != "" && (c.path == "/" || c.path == "/nonexistent_route_xyz") {
				continue
			}
			code, hdr, got := doJSON(t, "GET", s.URL()+prefix+c.path, nil)
			if code != c.code {
				t.Errorf("GET %s%s: %d, want %d", prefix, c.path, code, c.code)
				continue
			}
			if c.fixture == "" {
				continue
			}
			if !strings.HasPrefix(hdr.Get("Content-Type"), "application/json") {
				t.Errorf("%s: content type %q", c.path, hdr.Get("Content-Type"))
			}
			want := readFixture(t, c.fixture)
			if c.exact {
				if d := cmp.Diff(want, got); d != "" {
					t.Errorf("GET %s%s differs (-want +got):\n%s", prefix, c.path, d)
				}
			} else if d := shapeDiff("$", want, got); len(d) > 0 {
				t.Errorf("GET %s%s shape: %v", prefix, c.path, d)
			}
		}
	}
	_, _, empty := doJSON(t, "GET", s.URL()+"/object_info/NoSuchNodeXYZ", nil)
	if d := cmp.Diff(map[string]any{}, empty); d != "" {
		t.Error(d)
	}
	_, _, all := doJSON(t, "GET", s.URL()+"/object_info", nil)
	full := readFixture(t, "object_info.json").(map[string]any)
	for class, e := range all.(map[string]any) {
		if class == "CheckpointLoaderSimple" || class == "LoraLoader" || class == "LoraLoaderModelOnly" || class == "LoadImage" || class == "VAELoader" {
			continue // live COMBOs, checked below
		}
		if d := cmp.Diff(full[class], e); d != "" {
			t.Errorf("object_info %s differs from capture:\n%s", class, d)
		}
	}
}

// TestModelsLive: files created in ModelsDir appear at once in /models and
// in both COMBO shapes; a missing model fails validation like ComfyUI.
func TestModelsLive(t *testing.T) {
	models := t.TempDir()
	s := startSim(t, Options{ModelsDir: models})
	ckptGraph := func(name string) map[string]any {
		return map[string]any{
			"4": map[string]any{"class_type": "CheckpointLoaderSimple", "inputs": map[string]any{"ckpt_name": name}},
			"5": map[string]any{"class_type": "EmptyLatentImage", "inputs": map[string]any{"width": 64, "height": 64, "batch_size": 1}},
			"8": map[string]any{"class_type": "VAEDecode", "inputs": map[string]any{"samples": []any{"5", 0}, "vae": []any{"4", 2}}},
			"9": map[string]any{"class_type": "SaveImage", "inputs": map[string]any{"images": []any{"8", 0}, "filename_prefix": "m"}},
		}
	}
	code, _, body := doJSON(t, "POST", s.URL()+"/prompt", map[string]any{"prompt": ckptGraph("dummy_model.safetensors")})
	if code != 400 {
		t.Fatalf("missing model accepted: %d %v", code, body)
	}
	ne := body.(map[string]any)["node_errors"].(map[string]any)["4"].(map[string]any)
	e0 := ne["errors"].([]any)[0].(map[string]any)
	if e0["type"] != "value_not_in_list" || e0["details"] != "ckpt_name: 'dummy_model.safetensors' not in []" {
		t.Fatalf("error: %v", e0)
	}
	if d := cmp.Diff([]any{"9"}, ne["dependent_outputs"]); d != "" {
		t.Fatal(d)
	}
	for _, f := range []string{"checkpoints/dummy_model.safetensors", "checkpoints/subdir/another.ckpt", "checkpoints/notes.txt", "loras/dummy_lora.safetensors", "embeddings/dummy_embedding.pt", "upscale_models/4x_sim.pth"} {
		p := filepath.Join(models, filepath.FromSlash(f))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for path, fixture := range map[string]string{
		"/models/checkpoints":                 "models_checkpoints_with_dummy_files.json",
		"/embeddings":                         "embeddings_with_dummy_file.json",
		"/object_info/CheckpointLoaderSimple": "object_info_CheckpointLoaderSimple_with_dummy_files.json",
		"/object_info/LoraLoader":             "object_info_LoraLoader_with_dummy_files.json",
	} {
		_, _, got := doJSON(t, "GET", s.URL()+path, nil)
		if d := cmp.Diff(readFixture(t, fixture), got); d != "" {
			t.Errorf("%s vs %s:\n%s", path, fixture, d)
		}
	}
	_, _, up := doJSON(t, "GET", s.URL()+"/object_info/UpscaleModelLoader", nil)
	spec := up.(map[string]any)["UpscaleModelLoader"].(map[string]any)["input"].(map[string]any)["required"].(map[string]any)["model_name"]
	if d := cmp.Diff([]any{"COMBO", map[string]any{"multiselect": false, "options": []any{"4x_sim.pth"}}}, spec); d != "" {
		t.Errorf("V3 COMBO shape:\n%s", d)
	}
	ws := dialWS(t, s.URL(), "/ws", "m")
	ws.next()
	submit(t, s, "/prompt", map[string]any{"prompt": ckptGraph("subdir/another.ckpt"), "client_id": "m"})
	for _, m := range ws.until(isExecutingNull) {
		if m["type"] == "execution_error" {
			t.Fatalf("run failed: %v", m)
		}
	}
}

func TestParseFault(t *testing.T) {
	cases := []struct {
		spec string
		want Faults
		bad  bool
	}{
		{"fail-class=ImageInvert", Faults{FailClass: "ImageInvert"}, false},
		{"fail-type=torch.OutOfMemoryError", Faults{FailType: "torch.OutOfMemoryError"}, false},
		{"fail-message=boom here", Faults{FailMessage: "boom here"}, false},
		{"step-delay=10ms", Faults{StepDelay: 10 * time.Millisecond}, false},
		{"history-lag=1s", Faults{HistoryLag: time.Second}, false},
		{"step-delay=fast", Faults{}, true},
		{"nonsense", Faults{}, true},
		{"what=1", Faults{}, true},
	}
	for _, c := range cases {
		var f Faults
		err := ParseFault(c.spec, &f)
		if (err != nil) != c.bad {
			t.Errorf("%q: err %v", c.spec, err)
			continue
		}
		if !c.bad && f != c.want {
			t.Errorf("%q: %+v, want %+v", c.spec, f, c.want)
		}
	}
}

func TestCloseRemovesTempDirs(t *testing.T) {
	s, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	dirs := []string{s.ModelsDir(), filepath.Dir(s.OutputDir())}
	if _, err := os.Stat(filepath.Join(s.ModelsDir(), "checkpoints", "sim_base.safetensors")); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for _, d := range dirs {
		if _, err := os.Stat(d); !os.IsNotExist(err) {
			t.Errorf("%s still exists", d)
		}
	}
}

func TestInternalLogs(t *testing.T) {
	s := startSim(t, Options{})
	ws := dialWS(t, s.URL(), "/ws", "lg")
	ws.next()
	req, _ := http.NewRequest("PATCH", s.URL()+"/internal/logs/subscribe", strings.NewReader(`{"clientId": "lg", "enabled": true}`))
	if code, _, _ := doReq(t, req); code != 200 {
		t.Fatal(code)
	}
	submit(t, s, "/prompt", map[string]any{"prompt": invertGraph(1, "log"), "client_id": "lg"})
	ws.until(isType("logs"))
	_, _, logs := doJSON(t, "GET", s.URL()+"/internal/logs", nil)
	if !strings.Contains(logs.(string), "To see the GUI go to: "+s.URL()) || !strings.Contains(logs.(string), "got prompt") {
		t.Fatalf("logs %q", logs)
	}
	_, _, raw := doJSON(t, "GET", s.URL()+"/internal/logs/raw", nil)
	if d := shapeDiff("$", map[string]any{"entries": []any{map[string]any{"t": "", "m": ""}}, "size": map[string]any{"cols": 0.0, "rows": 0.0}}, raw); len(d) > 0 {
		t.Fatal(d)
	}
	if code, _, _ := doJSON(t, "GET", s.URL()+"/api/internal/logs", nil); code != 404 {
		t.Fatalf("/api/internal/logs: %d", code)
	}
}

func TestSmallLocalRoutes(t *testing.T) {
	s := startSim(t, Options{})
	_, _, em := doJSON(t, "GET", s.URL()+"/experiment/models/checkpoints", nil)
	items := em.([]any)
	if len(items) != 1 || items[0].(map[string]any)["name"] != "sim_base.safetensors" {
		t.Fatalf("experiment/models: %v", em)
	}
	if d := shapeDiff("$", map[string]any{"name": "", "pathIndex": 0.0, "modified": 0.0, "created": 0.0, "size": 0.0}, items[0]); len(d) > 0 {
		t.Fatal(d)
	}
	_, _, md := doJSON(t, "GET", s.URL()+"/view_metadata/checkpoints?filename=sim_base.safetensors", nil)
	if d := cmp.Diff(map[string]any{"comfysim": "placeholder"}, md); d != "" {
		t.Fatal(d)
	}
	cases := []struct {
		method, path string
		hdr          map[string]string
		code         int
	}{
		{"GET", "/view_metadata/checkpoints?filename=nope.safetensors", nil, 404},
		{"GET", "/internal/files/output", nil, 200},
		{"GET", "/internal/files/models", nil, 400},
		{"GET", "/internal/folder_paths", nil, 200},
		{"GET", "/queue", map[string]string{"Origin": "http://evil.example"}, 403},
		{"GET", "/queue", map[string]string{"Origin": strings.Replace(s.URL(), "http://", "http://", 1)}, 200},
	}
	for _, c := range cases {
		req, _ := http.NewRequest(c.method, s.URL()+c.path, nil)
		for k, v := range c.hdr {
			req.Header.Set(k, v)
		}
		if code, _, _ := doReq(t, req); code != c.code {
			t.Errorf("%s %s %v: %d, want %d", c.method, c.path, c.hdr, code, c.code)
		}
	}
}

func TestWSExecutingOnConnect(t *testing.T) {
	s := startSim(t, Options{Faults: Faults{StepDelay: 1 << 40}})
	first := dialWS(t, s.URL(), "/ws", "late")
	first.next()
	slow := invertGraph(1, "late")
	slow["2"] = map[string]any{"class_type": "ImageBlur", "inputs": map[string]any{"image": []any{"1", 0}, "blur_radius": 1, "sigma": 1.0}}
	id := submit(t, s, "/prompt", map[string]any{"prompt": slow, "client_id": "late"})
	first.until(func(m map[string]any) bool {
		return m["type"] == "executing" && m["data"].(map[string]any)["node"] == "2"
	})
	// A socket reconnecting with the same clientId mid-run is told the node.
	again := dialWS(t, s.URL(), "/ws", "late")
	again.next()
	m := again.next()
	if d := cmp.Diff(map[string]any{"type": "executing", "data": map[string]any{"node": "2"}}, m); d != "" {
		t.Fatal(d)
	}
	doJSON(t, "POST", s.URL()+"/interrupt", map[string]any{"prompt_id": id})
	again.until(isExecutingNull)
}
