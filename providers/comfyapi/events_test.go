package comfyapi

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestBinaryPreviewsReachWait(t *testing.T) {
	for _, fx := range []string{"ws_run_binary_legacy.jsonl", "ws_run_binary_with_metadata.jsonl"} {
		t.Run(fx, func(t *testing.T) {
			f := newFakeComfy(t, fx, "history_success.json")
			c := f.client(t)
			ctx := testCtx(t)
			res, err := c.Submit(ctx, invertGraph(t), nil)
			if err != nil {
				t.Fatal(err)
			}
			var log eventLog
			out, err := c.Wait(ctx, res.PromptID, log.add)
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != StatusSuccess {
				t.Fatalf("outcome %+v", out)
			}
			previews := 0
			for _, ev := range log.events {
				if ev.Type != EventPreview {
					continue
				}
				previews++
				if ev.PromptID != res.PromptID || ev.Preview.MediaType != "image/png" || !bytes.HasPrefix(ev.Preview.Data, pngMagic) {
					t.Errorf("preview %+v", ev)
				}
			}
			if previews == 0 {
				t.Fatal("no previews")
			}
		})
	}
}

func TestParseBinaryFrameKinds(t *testing.T) {
	text := append(append(be32bytes(3), be32bytes(2)...), []byte("12step 3/20")...)
	ev, err := parseBinaryFrame(text)
	if err != nil || ev.Type != EventProgressText || ev.Node != "12" || ev.Text != "step 3/20" {
		t.Fatalf("text frame: %+v, %v", ev, err)
	}
	jpeg := append(append(be32bytes(1), be32bytes(1)...), 0xff, 0xd8)
	ev, err = parseBinaryFrame(jpeg)
	if err != nil || ev.Preview.MediaType != "image/jpeg" || len(ev.Preview.Data) != 2 {
		t.Fatalf("jpeg frame: %+v, %v", ev, err)
	}
	for _, bad := range [][]byte{nil, {0, 0, 0, 4}, append(be32bytes(4), be32bytes(99)...), append(be32bytes(9), be32bytes(0)...)} {
		if _, err := parseBinaryFrame(bad); err == nil {
			t.Errorf("accepted %x", bad)
		}
	}
}

func TestExecutionBlockedIsNotTerminal(t *testing.T) {
	blocked := `{"type":"execution_error","data":{"prompt_id":"p","node_id":"5","node_type":"X","executed":[],"exception_message":"Execution Blocked: no","exception_type":"ExecutionBlocked","traceback":[],"current_inputs":[],"current_outputs":[]}}`
	ev, ok := parseTextFrame([]byte(blocked))
	if !ok || ev.Terminal() || ev.Error.NodeID != "5" {
		t.Fatalf("blocked: %+v %v", ev, ok)
	}
	failed := strings.Replace(blocked, "ExecutionBlocked", "RuntimeError", 1)
	if ev, ok := parseTextFrame([]byte(failed)); !ok || !ev.Terminal() {
		t.Fatalf("failure: %+v %v", ev, ok)
	}
}

func TestParseTextFrameIgnoresUnknownTypes(t *testing.T) {
	for _, raw := range []string{`{"type":"crystools.monitor","data":{}}`, `not json`, `{"data":{}}`, `{"type":"feature_flags","data":{}}`} {
		if _, ok := parseTextFrame([]byte(raw)); ok {
			t.Errorf("parsed %s", raw)
		}
	}
	ev, ok := parseTextFrame([]byte(`{"type":"executing","data":{"node":null,"prompt_id":"p"}}`))
	if !ok || ev.Node != "" || ev.PromptID != "p" {
		t.Fatalf("%+v", ev)
	}
}

func TestHistoryStatusErrorBeatsCompleted(t *testing.T) {
	var m map[string]map[string]any
	if err := json.Unmarshal(readFixture(t, "history_failed.json"), &m); err != nil {
		t.Fatal(err)
	}
	for id, entry := range m {
		entry["status"].(map[string]any)["completed"] = true // as some servers report
		entry["outputs"] = map[string]any{"3": map[string]any{"images": []any{map[string]any{"filename": "x.png", "subfolder": "", "type": "output"}}}}
		raw, _ := json.Marshal(map[string]any{id: entry})
		var top map[string]json.RawMessage
		json.Unmarshal(raw, &top)
		h, err := parseHistory(id, top)
		if err != nil {
			t.Fatal(err)
		}
		out := h.Outcome()
		if out.Status != StatusError || out.Error == nil || out.Error.NodeType != "LoadImage" || len(out.Outputs) != 0 {
			t.Fatalf("status_str=error with completed=true reported as %+v", out)
		}
	}
}

func TestOutputsFromEveryFileKey(t *testing.T) {
	outputs := map[string]map[string]json.RawMessage{
		"9":  {"images": json.RawMessage(`[{"filename":"a.png","subfolder":"","type":"output"}]`), "animated": json.RawMessage(`[true]`)},
		"12": {"gifs": json.RawMessage(`[{"filename":"v.mp4","subfolder":"vid","type":"output","format":"video/h264-mp4"}]`)},
		"13": {"video": json.RawMessage(`[{"filename":"c.mp4","subfolder":"","type":"output"}]`), "text": json.RawMessage(`["hi"]`)},
		"14": {"audio": json.RawMessage(`[{"filename":"s.flac","subfolder":"audio","type":"output"}]`)},
	}
	refs := fileRefs(outputs)
	keys := map[string]bool{}
	for _, r := range refs {
		keys[r.Key] = true
	}
	if len(refs) != 4 || !keys["images"] || !keys["gifs"] || !keys["video"] || !keys["audio"] {
		t.Fatalf("refs %+v", refs)
	}
}

func FuzzParseTextFrame(f *testing.F) {
	for _, name := range []string{"ws_run_success_invert.jsonl", "ws_run_fail_loadimage.jsonl"} {
		for _, fr := range loadTranscript(f, name).frames {
			f.Add(fr.data)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, ok := parseTextFrame(b)
		if ok && ev.Type == "" {
			t.Fatal("ok without a type")
		}
	})
}

func FuzzParseBinaryFrame(f *testing.F) {
	for _, fr := range loadTranscript(f, "ws_run_binary_with_metadata.jsonl").frames {
		if fr.binary {
			f.Add(fr.data)
		}
	}
	f.Add(append(be32bytes(3), be32bytes(1)...))
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := parseBinaryFrame(b)
		if err == nil && ev.Type != EventPreview && ev.Type != EventProgressText {
			t.Fatalf("type %q", ev.Type)
		}
	})
}

func FuzzParseHistory(f *testing.F) {
	for _, name := range []string{"history_success.json", "history_failed.json", "history_interrupted.json", "history_cached.json"} {
		f.Add(readFixture(f, name))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var top map[string]json.RawMessage
		if json.Unmarshal(b, &top) != nil {
			return
		}
		for id := range top {
			h, err := parseHistory(id, top)
			if err != nil || h == nil {
				continue
			}
			out := h.Outcome()
			if out.Status == StatusSuccess && h.Status.StatusStr == "error" {
				t.Fatal("error entry reported as success")
			}
		}
	})
}

func TestNodeIDsMayBeNumbers(t *testing.T) {
	ev, ok := parseTextFrame([]byte(`{"type":"progress","data":{"value":3,"max":20,"prompt_id":"p","node":12}}`))
	if !ok || ev.Node != "12" || ev.Value != 3 {
		t.Fatalf("%+v %v", ev, ok)
	}
}
