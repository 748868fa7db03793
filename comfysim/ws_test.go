package comfysim

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func invertGraph(color int, prefix string) map[string]any {
	return map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 64, "height": 48, "batch_size": 1, "color": color}},
		"2": map[string]any{"class_type": "ImageInvert", "inputs": map[string]any{"image": []any{"1", 0}}},
		"3": map[string]any{"class_type": "SaveImage", "inputs": map[string]any{"images": []any{"2", 0}, "filename_prefix": prefix}},
	}
}

func submit(t *testing.T, s *Server, path string, req map[string]any) string {
	t.Helper()
	code, _, body := doJSON(t, "POST", s.URL()+path, req)
	if code != 200 {
		t.Fatalf("POST %s: %d %v", path, code, body)
	}
	return body.(map[string]any)["prompt_id"].(string)
}

func isQueueEmptyStatus(m map[string]any) bool {
	if m["type"] != "status" {
		return false
	}
	d := m["data"].(map[string]any)
	return d["status"].(map[string]any)["exec_info"].(map[string]any)["queue_remaining"] == 0.0
}

// compareRun checks event order (signature) and each message's shape
// against a captured transcript.
func compareRun(t *testing.T, fixture string, got []map[string]any) {
	t.Helper()
	want := transcript(t, fixture)
	if d := cmp.Diff(signature(want), signature(got)); d != "" {
		t.Fatalf("event order differs from %s (-want +got):\n%s", fixture, d)
	}
	for i := range want {
		if strings.HasPrefix(want[i]["type"].(string), "binary") {
			continue
		}
		if d := shapeDiff(want[i]["type"].(string), want[i], got[i]); len(d) > 0 {
			t.Errorf("message %d differs in shape from %s: %v", i, fixture, d)
		}
	}
}

func TestWSRunSuccessThenCached(t *testing.T) {
	s := startSim(t, Options{})
	ws := dialWS(t, s.URL(), "/ws", "7b7f9f035d374cafb06a54d7a8ee5ce3")
	first := ws.next()
	id := submit(t, s, "/prompt", map[string]any{"prompt": invertGraph(3368601, "capture_invert"), "client_id": "7b7f9f035d374cafb06a54d7a8ee5ce3"})
	msgs := append([]map[string]any{first}, ws.until(isExecutingNull)...)
	compareRun(t, "ws_run_success_invert.jsonl", msgs)

	// history is written before the trailing status/executing{null}
	_, _, h := doJSON(t, "GET", s.URL()+"/history/"+id, nil)
	want := readFixture(t, "history_success.json")
	if d := shapeDiff("$", firstValue(want), firstValue(h)); len(d) > 0 {
		t.Fatalf("history shape: %v", d)
	}
	out := firstValue(h).(map[string]any)["outputs"].(map[string]any)["3"].(map[string]any)["images"].([]any)[0]
	if d := cmp.Diff(map[string]any{"filename": "capture_invert_00001_.png", "subfolder": "", "type": "output"}, out); d != "" {
		t.Fatal(d)
	}

	id2 := submit(t, s, "/prompt", map[string]any{"prompt": invertGraph(3368601, "capture_invert"), "client_id": "7b7f9f035d374cafb06a54d7a8ee5ce3"})
	compareRun(t, "ws_run_cached_invert.jsonl", ws.until(isExecutingNull))
	_, _, h2 := doJSON(t, "GET", s.URL()+"/history/"+id2, nil)
	if d := shapeDiff("$", blankGraph(firstValue(readFixture(t, "history_cached.json"))), blankGraph(firstValue(h2))); len(d) > 0 {
		t.Fatalf("cached history shape: %v", d)
	}
	st := s.Stats()
	if st.Submits != 2 || st.Requests["POST /prompt"] != 2 {
		t.Fatalf("stats: %+v", st)
	}
}

func TestWSRunFailAlloc(t *testing.T) {
	s := startSim(t, Options{})
	ws := dialWS(t, s.URL(), "/ws", "c")
	ws.next()
	id := submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 16384, "height": 16384, "batch_size": 4096, "color": 0}},
		"2": map[string]any{"class_type": "SaveImage", "inputs": map[string]any{"images": []any{"1", 0}, "filename_prefix": "capture_huge"}},
	}})
	msgs := ws.until(isExecutingNull)
	compareRun(t, "ws_run_fail_alloc.jsonl", msgs)
	var got map[string]any
	for _, m := range msgs {
		if m["type"] == "execution_error" {
			got = m["data"].(map[string]any)
		}
	}
	for _, w := range transcript(t, "ws_run_fail_alloc.jsonl") {
		if w["type"] == "execution_error" {
			wd := w["data"].(map[string]any)
			if got["exception_message"] != wd["exception_message"] || got["exception_type"] != wd["exception_type"] {
				t.Fatalf("error %q %q, want %q %q", got["exception_type"], got["exception_message"], wd["exception_type"], wd["exception_message"])
			}
		}
	}
	_, _, h := doJSON(t, "GET", s.URL()+"/history/"+id, nil)
	if d := shapeDiff("$", blankGraph(firstValue(readFixture(t, "history_failed_alloc.json"))), blankGraph(firstValue(h))); len(d) > 0 {
		t.Fatalf("failed history shape: %v", d)
	}
}

func TestWSRunFailLoadImageAndFaultClass(t *testing.T) {
	s := startSim(t, Options{})
	// upload a non-image file, as the capture did
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("image", "capture_broken.png")
	_, _ = fw.Write([]byte("this is not an image"))
	_ = mw.Close()
	resp, err := http.Post(s.URL()+"/upload/image", mw.FormDataContentType(), &buf)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("upload: %v %v", err, resp)
	}
	resp.Body.Close()
	ws := dialWS(t, s.URL(), "/ws", "c")
	ws.next()
	graph := map[string]any{
		"1": map[string]any{"class_type": "LoadImage", "inputs": map[string]any{"image": "capture_broken.png"}},
		"2": map[string]any{"class_type": "ImageInvert", "inputs": map[string]any{"image": []any{"1", 0}}},
		"3": map[string]any{"class_type": "SaveImage", "inputs": map[string]any{"images": []any{"2", 0}, "filename_prefix": "capture_fail"}},
	}
	id := submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": graph})
	msgs := ws.until(isExecutingNull)
	compareRun(t, "ws_run_fail_loadimage.jsonl", msgs)
	_, _, h := doJSON(t, "GET", s.URL()+"/history/"+id, nil)
	e := firstValue(h).(map[string]any)
	if d := shapeDiff("$", blankGraph(firstValue(readFixture(t, "history_failed.json"))), blankGraph(e)); len(d) > 0 {
		t.Fatalf("failed history shape: %v", d)
	}
	st := e["status"].(map[string]any)
	if st["status_str"] != "error" || st["completed"] != false || len(e["outputs"].(map[string]any)) != 0 {
		t.Fatalf("status %v outputs %v", st, e["outputs"])
	}

	// Faults.FailClass: the named class raises, with the configured type.
	s.SetFaults(Faults{FailClass: "ImageInvert", FailType: "torch.OutOfMemoryError", FailMessage: "Allocation on device"})
	submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": invertGraph(7, "fault")})
	msgs = ws.until(isExecutingNull)
	var ee map[string]any
	for _, m := range msgs {
		if m["type"] == "execution_error" {
			ee = m["data"].(map[string]any)
		}
	}
	if ee == nil || ee["node_id"] != "2" || ee["node_type"] != "ImageInvert" || ee["exception_type"] != "torch.OutOfMemoryError" ||
		!strings.HasPrefix(ee["exception_message"].(string), "Allocation on device") || len(ee["traceback"].([]any)) == 0 {
		t.Fatalf("execution_error: %v", ee)
	}
	if d := cmp.Diff([]any{"1"}, ee["executed"]); d != "" {
		t.Fatal(d)
	}
	if _, ok := ee["current_inputs"].(map[string]any)["image"]; !ok {
		t.Fatalf("current_inputs: %v", ee["current_inputs"])
	}
}

// TestWSRouting: other clients see only status; a prompt without client_id
// sends its progress_state to everyone and nothing else.
func TestWSRouting(t *testing.T) {
	s := startSim(t, Options{})
	owner := dialWS(t, s.URL(), "/ws", "owner")
	owner.next()
	obs := dialWS(t, s.URL(), "/ws", "ce1911ef5d854fbdbe65781d50601982")
	first := obs.next()
	submit(t, s, "/prompt", map[string]any{"client_id": "owner", "prompt": invertGraph(1193046, "obs")})
	owner.until(isExecutingNull)
	compareRun(t, "ws_observer_other_client.jsonl", append([]map[string]any{first}, obs.until(isQueueEmptyStatus)...))

	anon := dialWS(t, s.URL(), "/ws", "")
	if sid := anon.next()["data"].(map[string]any)["sid"].(string); len(sid) != 32 {
		t.Fatalf("minted sid %q", sid)
	}
	submit(t, s, "/prompt", map[string]any{"prompt": invertGraph(6636321, "noclient")})
	compareRun(t, "ws_prompt_without_client_id.jsonl", anon.until(isQueueEmptyStatus))
}

func TestWSAPIPrefixAndFeatureFlags(t *testing.T) {
	s := startSim(t, Options{})
	ws := dialWS(t, s.URL(), "/api/ws", "b514dd46a7614d36899b0d74445a3fbf")
	if err := ws.c.WriteJSON(map[string]any{"type": "feature_flags", "data": map[string]any{"supports_preview_metadata": true}}); err != nil {
		t.Fatal(err)
	}
	first := ws.next()
	ff := ws.next()
	if d := cmp.Diff(map[string]any{"type": "feature_flags", "data": map[string]any{"supports_preview_metadata": true, "max_upload_size": 104857600.0}}, ff); d != "" {
		t.Fatal(d)
	}
	submit(t, s, "/api/prompt", map[string]any{"prompt": invertGraph(5, "capture_api_prefix"), "client_id": "b514dd46a7614d36899b0d74445a3fbf"})
	compareRun(t, "ws_api_prefix_run.jsonl", append([]map[string]any{first}, ws.until(isExecutingNull)...))
}

// TestWSBinaryPreviews compares both preview flavours with the captures:
// type 1 for legacy clients, type 4 after feature_flags negotiation.
func TestWSBinaryPreviews(t *testing.T) {
	s := startSim(t, Options{})
	graph := map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 40, "height": 30, "batch_size": 2, "color": 16746496}},
		"2": map[string]any{"class_type": "SaveImageWebsocket", "inputs": map[string]any{"images": []any{"1", 0}}},
	}
	legacy := dialWS(t, s.URL(), "/ws", "legacy")
	legacy.next()
	submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "legacy"})
	msgs := legacy.until(isExecutingNull)
	compareRun(t, "ws_run_binary_legacy.jsonl", msgs)
	for _, m := range msgs {
		if m["type"] == "binary1" {
			raw := m["raw"].([]byte)
			if !bytes.Equal(raw[4:8], []byte{0, 0, 0, 2}) || !bytes.HasPrefix(raw[8:], []byte("\x89PNG")) {
				t.Fatalf("type 1 frame header % x", raw[:12])
			}
		}
	}

	meta := dialWS(t, s.URL(), "/ws", "f890287f0f3b4fce8255429ffdb27c0f")
	if err := meta.c.WriteJSON(map[string]any{"type": "feature_flags", "data": map[string]any{"supports_preview_metadata": true}}); err != nil {
		t.Fatal(err)
	}
	first := []map[string]any{meta.next(), meta.next()}
	graph["1"].(map[string]any)["inputs"].(map[string]any)["color"] = 35071
	submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "f890287f0f3b4fce8255429ffdb27c0f"})
	msgs = append(first, meta.until(isExecutingNull)...)
	compareRun(t, "ws_run_binary_with_metadata.jsonl", msgs)
	for _, m := range msgs {
		if m["type"] == "binary4" {
			raw := m["raw"].([]byte)
			n := int(raw[4])<<24 | int(raw[5])<<16 | int(raw[6])<<8 | int(raw[7])
			var md map[string]any
			if err := jsonStd(raw[8:8+n], &md); err != nil || md["node_id"] != "2" || md["image_type"] != "image/png" {
				t.Fatalf("metadata %v %v", md, err)
			}
			if !bytes.HasPrefix(raw[8+n:], []byte("\x89PNG")) {
				t.Fatal("no PNG after metadata")
			}
		}
	}
}

// TestMediaOutputKeys: videos under "images" + animated locally and under
// "video" on cloud, animated WEBP, audio under "audio", text under "text".
func TestMediaOutputKeys(t *testing.T) {
	graph := map[string]any{
		"1":  map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 32, "height": 24, "batch_size": 1, "color": 1}},
		"2":  map[string]any{"class_type": "RepeatImageBatch", "inputs": map[string]any{"image": []any{"1", 0}, "amount": 3}},
		"3":  map[string]any{"class_type": "CreateVideo", "inputs": map[string]any{"images": []any{"2", 0}, "fps": 8.0}},
		"4":  map[string]any{"class_type": "SaveVideo", "inputs": map[string]any{"video": []any{"3", 0}, "filename_prefix": "video/ComfyUI", "format": "auto", "codec": "auto"}},
		"5":  map[string]any{"class_type": "SaveAnimatedWEBP", "inputs": map[string]any{"images": []any{"2", 0}, "filename_prefix": "anim", "fps": 6.0, "lossless": true, "quality": 80, "method": "default"}},
		"6":  map[string]any{"class_type": "EmptyLatentAudio", "inputs": map[string]any{"seconds": 2.0, "batch_size": 1}},
		"7":  map[string]any{"class_type": "CheckpointLoaderSimple", "inputs": map[string]any{"ckpt_name": "sim_base.safetensors"}},
		"8":  map[string]any{"class_type": "VAEDecodeAudio", "inputs": map[string]any{"samples": []any{"6", 0}, "vae": []any{"7", 2}}},
		"9":  map[string]any{"class_type": "SaveAudio", "inputs": map[string]any{"audio": []any{"8", 0}, "filename_prefix": "audio/ComfyUI"}},
		"10": map[string]any{"class_type": "PreviewAny", "inputs": map[string]any{"source": []any{"2", 0}}},
	}
	for _, flavor := range []string{"local", "cloud"} {
		t.Run(flavor, func(t *testing.T) {
			s := startSim(t, Options{Flavor: flavor})
			var hdr map[string]string
			path := "/prompt"
			if flavor == "cloud" {
				hdr, path = map[string]string{"X-API-Key": s.APIKey()}, "/api/prompt"
			}
			b, _ := jsonMarshal(map[string]any{"prompt": graph})
			req, _ := http.NewRequest("POST", s.URL()+path, bytes.NewReader(b))
			for k, v := range hdr {
				req.Header.Set(k, v)
			}
			code, _, body := doReq(t, req)
			if code != 200 {
				t.Fatalf("submit %d %v", code, body)
			}
			id := body.(map[string]any)["prompt_id"].(string)
			var outs map[string]any
			for i := 0; outs == nil; i++ {
				hp := "/history/" + id
				if flavor == "cloud" {
					hp = "/api/history_v2/" + id
				}
				req, _ := http.NewRequest("GET", s.URL()+hp, nil)
				for k, v := range hdr {
					req.Header.Set(k, v)
				}
				_, _, h := doReq(t, req)
				if e, ok := h.(map[string]any)[id]; ok {
					if st := e.(map[string]any)["status"].(map[string]any); st["status_str"] != "success" {
						t.Fatalf("run failed: %v", st)
					}
					outs = e.(map[string]any)["outputs"].(map[string]any)
				} else if i == 2000 {
					t.Fatal("no history")
				}
				time.Sleep(2 * time.Millisecond)
			}
			videoKey := "images"
			if flavor == "cloud" {
				videoKey = "video"
			}
			want := map[string]string{"4": videoKey, "5": "images", "9": "audio", "10": "text"}
			for node, key := range want {
				o := outs[node].(map[string]any)
				if _, ok := o[key]; !ok {
					t.Errorf("node %s outputs %v lack %q", node, o, key)
				}
			}
			v := outs["4"].(map[string]any)[videoKey].([]any)[0].(map[string]any)
			if v["filename"] != "ComfyUI_00001_.mp4" || v["subfolder"] != "video" {
				t.Errorf("video item %v", v)
			}
			if flavor == "local" && outs["5"].(map[string]any)["animated"].([]any)[0] != true {
				t.Errorf("webp not animated: %v", outs["5"])
			}
		})
	}
}

func TestHugeSaveFailsLikeAllocation(t *testing.T) {
	s := startSim(t, Options{})
	ws := dialWS(t, s.URL(), "/ws", "h")
	ws.next()
	g := invertGraph(1, "huge")
	g["1"].(map[string]any)["inputs"] = map[string]any{"width": 16384, "height": 16384, "batch_size": 1, "color": 0}
	submit(t, s, "/prompt", map[string]any{"prompt": g, "client_id": "h"})
	msgs := ws.until(isType("execution_error"))
	d := msgs[len(msgs)-1]["data"].(map[string]any)
	if d["node_type"] != "SaveImage" || d["exception_type"] != "RuntimeError" {
		t.Fatalf("error %v", d)
	}
}

// TestSamplerPreviewsAndText: with a preview method, each KSampler step
// carries a JPEG preview (type 1, or type 4 after feature_flags); with
// ProgressText, a type 3 text frame names the node.
func TestSamplerPreviewsAndText(t *testing.T) {
	s := startSim(t, Options{PreviewMethod: "auto", ProgressText: true})
	graph := map[string]any{
		"4": map[string]any{"class_type": "CheckpointLoaderSimple", "inputs": map[string]any{"ckpt_name": "sim_base.safetensors"}},
		"6": map[string]any{"class_type": "CLIPTextEncode", "inputs": map[string]any{"text": "a", "clip": []any{"4", 1}}},
		"5": map[string]any{"class_type": "EmptyLatentImage", "inputs": map[string]any{"width": 128, "height": 64, "batch_size": 1}},
		"3": map[string]any{"class_type": "KSampler", "inputs": map[string]any{"model": []any{"4", 0}, "seed": 1, "steps": 3, "cfg": 7.0,
			"sampler_name": "euler", "scheduler": "normal", "positive": []any{"6", 0}, "negative": []any{"6", 0}, "latent_image": []any{"5", 0}, "denoise": 1.0}},
		"8": map[string]any{"class_type": "VAEDecode", "inputs": map[string]any{"samples": []any{"3", 0}, "vae": []any{"4", 2}}},
		"9": map[string]any{"class_type": "PreviewImage", "inputs": map[string]any{"images": []any{"8", 0}}},
	}
	for _, meta := range []bool{false, true} {
		ws := dialWS(t, s.URL(), "/ws", "p")
		if meta {
			_ = ws.c.WriteJSON(map[string]any{"type": "feature_flags", "data": map[string]any{"supports_preview_metadata": true}})
			ws.next()
		}
		ws.next()
		graph["3"].(map[string]any)["inputs"].(map[string]any)["seed"] = map[bool]int{false: 1, true: 2}[meta]
		submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "p"})
		var previews, texts int
		for _, m := range ws.until(isExecutingNull) {
			raw, _ := m["raw"].([]byte)
			switch m["type"] {
			case "binary1":
				if meta || !bytes.Equal(raw[4:8], []byte{0, 0, 0, 1}) || !bytes.HasPrefix(raw[8:], []byte{0xff, 0xd8}) {
					t.Fatalf("type 1 preview % x (meta %v)", raw[:10], meta)
				}
				previews++
			case "binary4":
				if !meta || !bytes.Contains(raw, []byte(`"image/jpeg"`)) {
					t.Fatalf("type 4 preview (meta %v)", meta)
				}
				previews++
			case "binary3":
				n := int(raw[7])
				if string(raw[8:8+n]) != "3" || !strings.HasPrefix(string(raw[8+n:]), "step ") {
					t.Fatalf("text frame %q", raw)
				}
				texts++
			}
		}
		if previews != 3 || texts != 3 {
			t.Fatalf("meta %v: %d previews, %d texts", meta, previews, texts)
		}
		ws.c.Close()
	}
}
