package comfysim

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func upload(t *testing.T, s *Server, name string, data []byte, fields map[string]string) (int, any) {
	t.Helper()
	return uploadTo(t, s, "/upload/image", name, data, fields)
}

func uploadTo(t *testing.T, s *Server, route, name string, data []byte, fields map[string]string) (int, any) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range fields {
		_ = mw.WriteField(k, v)
	}
	if name != "" {
		fw, _ := mw.CreateFormFile("image", name)
		_, _ = fw.Write(data)
	}
	_ = mw.Close()
	req, _ := http.NewRequest("POST", s.URL()+route, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	code, _, body := doReq(t, req)
	return code, body
}

func doReq(t *testing.T, req *http.Request) (int, http.Header, any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var v any = string(b)
	if resp.Header.Get("Content-Type") == "application/json; charset=utf-8" {
		v = nil
		if err := jsonUnmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
	}
	return resp.StatusCode, resp.Header, v
}

func TestUploadRenaming(t *testing.T) {
	s := startSim(t, Options{})
	a, b := []byte("first content"), []byte("second content")
	steps := []struct {
		name    string
		data    []byte
		fields  map[string]string
		code    int
		want    map[string]any
		fixture string
	}{
		{"capture_upload.png", a, map[string]string{"overwrite": "true"}, 200, map[string]any{"name": "capture_upload.png", "subfolder": "", "type": "input"}, "upload_image_response.json"},
		{"capture_upload.png", b, nil, 200, map[string]any{"name": "capture_upload (1).png", "subfolder": "", "type": "input"}, "upload_image_response_duplicate_name.json"},
		{"capture_upload.png", a, nil, 200, map[string]any{"name": "capture_upload.png", "subfolder": "", "type": "input"}, ""},
		{"capture_upload.png", b, nil, 200, map[string]any{"name": "capture_upload (1).png", "subfolder": "", "type": "input"}, ""},
		{"capture_upload.png", []byte("third"), nil, 200, map[string]any{"name": "capture_upload (2).png", "subfolder": "", "type": "input"}, ""},
		{"capture_upload.png", b, map[string]string{"overwrite": "1"}, 200, map[string]any{"name": "capture_upload.png", "subfolder": "", "type": "input"}, ""},
		{"capture_sub.png", a, map[string]string{"subfolder": "capsub"}, 200, map[string]any{"name": "capture_sub.png", "subfolder": "capsub", "type": "input"}, "upload_image_response_subfolder.json"},
		{"x.png", a, map[string]string{"subfolder": "../escape"}, 400, nil, ""},
		{"", nil, nil, 400, nil, ""},
		{"t.png", a, map[string]string{"type": "temp"}, 200, map[string]any{"name": "t.png", "subfolder": "", "type": "temp"}, ""},
	}
	for i, st := range steps {
		code, body := upload(t, s, st.name, st.data, st.fields)
		if code != st.code {
			t.Fatalf("step %d: status %d, want %d", i, code, st.code)
		}
		if st.want == nil {
			continue
		}
		if d := cmp.Diff(st.want, body); d != "" {
			t.Fatalf("step %d (-want +got):\n%s", i, d)
		}
		if st.fixture != "" {
			if d := cmp.Diff(readFixture(t, st.fixture), body); d != "" {
				t.Fatalf("step %d vs %s:\n%s", i, st.fixture, d)
			}
		}
	}
	if got, _ := os.ReadFile(filepath.Join(s.InputDir(), "capture_upload.png")); !bytes.Equal(got, b) {
		t.Fatalf("overwrite did not replace content: %q", got)
	}
	_, _, oi := doJSON(t, "GET", s.URL()+"/object_info/LoadImage", nil)
	opts := oi.(map[string]any)["LoadImage"].(map[string]any)["input"].(map[string]any)["required"].(map[string]any)["image"].([]any)[0]
	if d := cmp.Diff([]any{"capture_upload (1).png", "capture_upload (2).png", "capture_upload.png", "example.png"}, opts); d != "" {
		t.Fatalf("LoadImage options:\n%s", d)
	}
}

func TestViewGuards(t *testing.T) {
	s := startSim(t, Options{})
	if err := os.MkdirAll(filepath.Join(s.OutputDir(), "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	content := bytes.Repeat([]byte("0123456789"), 100)
	_ = os.WriteFile(filepath.Join(s.OutputDir(), "sub", "a.png"), content, 0o644)
	_ = os.WriteFile(filepath.Join(s.OutputDir(), "b.png"), content, 0o644)
	_ = os.WriteFile(filepath.Join(s.InputDir(), "in.png"), content, 0o644)
	cases := []struct {
		query string
		code  int
	}{
		{"filename=b.png", 200},
		{"filename=b.png&type=output&subfolder=", 200},
		{"filename=a.png&subfolder=sub", 200},
		{"filename=in.png&type=input", 200},
		{"filename=in.png [input]&type=output", 200},
		{"filename=does_not_exist.png&type=output", 404},
		{"type=output", 404},
		{"filename=../../etc/passwd&type=output", 400},
		{"filename=/etc/passwd", 400},
		{"filename=", 400},
		{"filename=b.png&type=models", 400},
		{"filename=passwd&subfolder=../../etc", 403},
		{"filename=passwd&subfolder=/etc", 403},
		{"filename=sub/a.png", 404}, // only basename(filename) is used
	}
	for _, c := range cases {
		for _, prefix := range []string{"/view", "/api/view"} {
			u := s.URL() + prefix + "?" + encodeQuery(c.query)
			resp, err := http.Get(u)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != c.code {
				t.Errorf("%s?%s: %d, want %d", prefix, c.query, resp.StatusCode, c.code)
				continue
			}
			if c.code != 200 {
				if len(body) != 0 {
					t.Errorf("%s: error body %q, want empty", c.query, body)
				}
				continue
			}
			if !bytes.Equal(body, content) || resp.Header.Get("Content-Type") != "image/png" || resp.Header.Get("Content-Disposition") == "" {
				t.Errorf("%s: headers %v", c.query, resp.Header)
			}
		}
	}
	req, _ := http.NewRequest("GET", s.URL()+"/view?filename=b.png", nil)
	req.Header.Set("Range", "bytes=10-19")
	code, hdr, body := doReq(t, req)
	if code != 206 || body != "0123456789" || hdr.Get("Content-Range") != "bytes 10-19/1000" {
		t.Fatalf("range: %d %q %v", code, body, hdr)
	}
}

func encodeQuery(q string) string {
	v, _ := url.ParseQuery(q)
	return v.Encode()
}

// TestCheckpointGraphPNG runs the txt2img graph and checks step progress and
// the real PNG's size (that of the latent).
func TestCheckpointGraphPNG(t *testing.T) {
	s := startSim(t, Options{})
	ws := dialWS(t, s.URL(), "/ws", "c")
	ws.next()
	graph := map[string]any{
		"4": map[string]any{"class_type": "CheckpointLoaderSimple", "inputs": map[string]any{"ckpt_name": "sim_base.safetensors"}},
		"6": map[string]any{"class_type": "CLIPTextEncode", "inputs": map[string]any{"text": "a cat", "clip": []any{"4", 1}}},
		"7": map[string]any{"class_type": "CLIPTextEncode", "inputs": map[string]any{"text": "blurry", "clip": []any{"4", 1}}},
		"5": map[string]any{"class_type": "EmptyLatentImage", "inputs": map[string]any{"width": 96, "height": 64, "batch_size": 2}},
		"3": map[string]any{"class_type": "KSampler", "inputs": map[string]any{"model": []any{"4", 0}, "seed": 42, "steps": 5, "cfg": 7.0,
			"sampler_name": "euler", "scheduler": "normal", "positive": []any{"6", 0}, "negative": []any{"7", 0}, "latent_image": []any{"5", 0}, "denoise": 1.0}},
		"8": map[string]any{"class_type": "VAEDecode", "inputs": map[string]any{"samples": []any{"3", 0}, "vae": []any{"4", 2}}},
		"9": map[string]any{"class_type": "SaveImage", "inputs": map[string]any{"images": []any{"8", 0}, "filename_prefix": "renders/cat"}},
	}
	id := submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "c"})
	msgs := ws.until(isExecutingNull)
	var steps []float64
	for _, m := range msgs {
		if m["type"] == "progress" {
			d := m["data"].(map[string]any)
			if d["node"] != "3" || d["max"] != 5.0 || d["prompt_id"] != id {
				t.Fatalf("progress %v", d)
			}
			steps = append(steps, d["value"].(float64))
		}
		if m["type"] == "execution_error" {
			t.Fatalf("run failed: %v", m)
		}
	}
	if d := cmp.Diff([]float64{1, 2, 3, 4, 5}, steps); d != "" {
		t.Fatalf("steps: %s", d)
	}
	_, _, h := doJSON(t, "GET", s.URL()+"/history/"+id, nil)
	imgs := firstValue(h).(map[string]any)["outputs"].(map[string]any)["9"].(map[string]any)["images"].([]any)
	if len(imgs) != 2 {
		t.Fatalf("images: %v", imgs)
	}
	for i, it := range imgs {
		im := it.(map[string]any)
		want := map[string]any{"filename": []string{"cat_00001_.png", "cat_00002_.png"}[i], "subfolder": "renders", "type": "output"}
		if d := cmp.Diff(want, im); d != "" {
			t.Fatal(d)
		}
		resp, err := http.Get(s.URL() + "/view?filename=" + im["filename"].(string) + "&subfolder=renders&type=output")
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := png.DecodeConfig(resp.Body)
		resp.Body.Close()
		if err != nil || cfg.Width != 96 || cfg.Height != 64 {
			t.Fatalf("png: %v %+v", err, cfg)
		}
	}
	// A second identical run is fully cached and names the same files.
	submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "c"})
	for _, m := range ws.until(isExecutingNull) {
		if m["type"] == "execution_cached" {
			if n := len(m["data"].(map[string]any)["nodes"].([]any)); n != 7 {
				t.Fatalf("cached %d nodes", n)
			}
		}
		if m["type"] == "progress" {
			t.Fatal("cached run sampled again")
		}
	}
}

func jsonUnmarshal(b []byte, v any) error { return jsonStd(b, v) }

func TestUploadMask(t *testing.T) {
	s := startSim(t, Options{})
	mk := func(v, a uint8) []byte {
		img := image.NewNRGBA(image.Rect(0, 0, 4, 3))
		for i := range img.Pix {
			img.Pix[i] = v
			if i%4 == 3 {
				img.Pix[i] = a
			}
		}
		var b bytes.Buffer
		_ = png.Encode(&b, img)
		return b.Bytes()
	}
	if code, _ := upload(t, s, "orig.png", mk(200, 255), nil); code != 200 {
		t.Fatal(code)
	}
	maskUp := func(name string, data []byte, ref string) (int, any) {
		return uploadTo(t, s, "/upload/mask", name, data, map[string]string{"original_ref": ref})
	}
	code, body := maskUp("clipspace-mask.png", mk(50, 7), `{"filename": "orig.png", "subfolder": "", "type": "input"}`)
	if code != 200 || body.(map[string]any)["name"] != "clipspace-mask.png" {
		t.Fatalf("mask: %d %v", code, body)
	}
	f, _ := os.Open(filepath.Join(s.InputDir(), "clipspace-mask.png"))
	img, err := png.Decode(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if c := color.NRGBAModel.Convert(img.At(1, 1)).(color.NRGBA); c.A != 7 || c.R != 200 {
		t.Fatalf("composited pixel %v", c)
	}
	for ref, want := range map[string]int{
		`{"filename": "../orig.png", "type": "input"}`:                    400,
		`{"filename": "orig.png", "subfolder": "../..", "type": "input"}`: 403,
		`{"filename": "missing.png", "type": "input"}`:                    404,
		`not json`: 400,
	} {
		if code, _ := maskUp("m2.png", mk(50, 9), ref); code != want {
			t.Errorf("%s: %d, want %d", ref, code, want)
		}
	}
}
