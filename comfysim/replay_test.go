package comfysim

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestHTTPLogReplay replays all 96 requests of http_log.json, in order,
// and checks each status code and the kind of body (JSON, empty
// octet-stream, text) against the capture. Prompt ids are mapped from the
// captured responses to the simulator's; multipart bodies (not stored in
// the capture) are rebuilt from the labels.
func TestHTTPLogReplay(t *testing.T) {
	entries := readFixture(t, "http_log.json").([]any)
	s := startSim(t, Options{Faults: Faults{StepDelay: 1 << 40}}) // ImageBlur jobs run until interrupted
	ids := map[string]string{}
	subst := func(x string) string {
		for k, v := range ids {
			x = strings.ReplaceAll(x, k, v)
		}
		return x
	}
	for i, raw := range entries {
		e := raw.(map[string]any)
		method, label := e["method"].(string), e["label"].(string)
		path := subst(e["path"].(string))
		if strings.Contains(label, "with dummy files") || strings.Contains(label, "with dummy file") {
			for _, f := range []string{"checkpoints/dummy_model.safetensors", "checkpoints/subdir/another.ckpt", "embeddings/dummy_embedding.pt", "loras/dummy_lora.safetensors"} {
				p := filepath.Join(s.ModelsDir(), filepath.FromSlash(f))
				_ = os.MkdirAll(filepath.Dir(p), 0o755)
				_ = os.WriteFile(p, []byte("x"), 0o644)
			}
			_ = os.Remove(filepath.Join(s.ModelsDir(), "checkpoints", "sim_base.safetensors"))
		}
		if strings.HasPrefix(path, "/history/") && path != "/history/not-a-real-id" {
			waitHistory(t, s, strings.TrimPrefix(path, "/history/"))
		}
		var body []byte
		ctype := "application/json"
		switch {
		case strings.HasPrefix(path, "/upload/image"):
			body, ctype = replayUpload(label)
		case e["request_json"] != nil:
			body, _ = json.Marshal(e["request_json"])
			body = []byte(subst(string(body)))
		case strings.Contains(label, "malformed JSON"):
			body = []byte("{not json")
		}
		req, _ := http.NewRequest(method, s.URL()+path, bytes.NewReader(body))
		if body != nil {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("#%d %s: %v", i, label, err)
		}
		var got map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&got)
		resp.Body.Close()
		want := int(e["status"].(float64))
		if resp.StatusCode != want {
			t.Errorf("#%d %s %s (%s): status %d, want %d", i, method, path, label, resp.StatusCode, want)
		}
		wct, _ := e["response_headers"].(map[string]any)["Content-Type"].(string)
		if gct := resp.Header.Get("Content-Type"); kind(gct) != kind(wct) && !strings.Contains(path, "preview=webp") {
			t.Errorf("#%d %s: content type %q, want %q", i, label, gct, wct)
		}
		if method == "POST" && strings.HasSuffix(path, "/prompt") && want == 200 {
			rj, ok := e["response_json"].(map[string]any)
			if bf, has := e["body_file"].(string); !ok && has {
				rj, ok = readFixture(t, bf).(map[string]any)
			}
			if ok && got != nil {
				ids[rj["prompt_id"].(string)] = got["prompt_id"].(string)
			}
			if strings.Contains(label, "slow job") { // the capture queued the next ones behind it
				waitRunning(t, s, got["prompt_id"].(string))
			}
		}
	}
}

func kind(ct string) string {
	switch {
	case strings.HasPrefix(ct, "application/json"):
		return "json"
	case strings.HasPrefix(ct, "image/"):
		return "image"
	}
	return ct
}

// waitRunning polls /queue until prompt id is the running item.
func waitRunning(t *testing.T, s *Server, id string) {
	t.Helper()
	for i := 0; i < 2000; i++ {
		_, _, q := doJSON(t, "GET", s.URL()+"/queue", nil)
		for _, it := range q.(map[string]any)["queue_running"].([]any) {
			if it.([]any)[1] == id {
				return
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("%s never ran", id)
}

func replayUpload(label string) ([]byte, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	file := func(name string, data []byte) {
		fw, _ := mw.CreateFormFile("image", name)
		_, _ = fw.Write(data)
	}
	png, _ := encodePNG(solidImage(4, 4, 1, 0x102030), nil)
	png2, _ := encodePNG(solidImage(4, 4, 1, 0x405060), nil)
	switch {
	case strings.Contains(label, "overwrite=true"):
		_ = mw.WriteField("overwrite", "true")
		file("capture_upload.png", png)
	case strings.Contains(label, "different content"):
		file("capture_upload.png", png2)
	case strings.Contains(label, "subfolder"):
		_ = mw.WriteField("subfolder", "capsub")
		file("capture_sub.png", png)
	case strings.Contains(label, "non-image"):
		file("capture_broken.png", []byte("definitely not an image"))
	default:
		_ = mw.WriteField("type", "input")
	}
	_ = mw.Close()
	return buf.Bytes(), mw.FormDataContentType()
}
