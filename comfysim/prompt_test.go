package comfysim

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// TestPromptInvalidFidelity replays every request of
// prompt_invalid_responses.json and compares status and body with the capture.
func TestPromptInvalidFidelity(t *testing.T) {
	cases := readFixture(t, "prompt_invalid_responses.json").(map[string]any)
	s := startSim(t, Options{})
	names := sortedMapKeys(cases)
	for _, name := range names {
		c := cases[name].(map[string]any)
		t.Run(name, func(t *testing.T) {
			var body any = c["request"]
			if raw, ok := c["request_raw"].(string); ok {
				body = raw
			}
			code, hdr, got := doJSON(t, "POST", s.URL()+"/prompt", body)
			if want := int(c["status"].(float64)); code != want {
				t.Fatalf("status %d, want %d (%v)", code, want, got)
			}
			want := c["response"]
			if ws, ok := want.(string); ok {
				if got != ws || hdr.Get("Content-Type") != c["content_type"] {
					t.Fatalf("body %q (%s), want %q (%s)", got, hdr.Get("Content-Type"), ws, c["content_type"])
				}
				return
			}
			if d := shapeDiff("$", want, got); len(d) > 0 {
				t.Fatalf("shape differs:\n%s\ngot: %v", strings.Join(d, "\n"), got)
			}
			// Beyond shape: the same error types, messages and details,
			// except Python tracebacks.
			strip := cmp.FilterPath(func(p cmp.Path) bool {
				return strings.Contains(p.GoString(), `"traceback"`)
			}, cmp.Ignore())
			if d := cmp.Diff(want, got, strip); d != "" {
				t.Fatalf("body differs from capture (-want +got):\n%s", d)
			}
		})
	}
}

func TestPromptNumbering(t *testing.T) {
	s := startSim(t, Options{Faults: Faults{StepDelay: 1 << 40}}) // keep the first job running
	slow := map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 8, "height": 8, "batch_size": 1, "color": 0}},
		"2": map[string]any{"class_type": "ImageBlur", "inputs": map[string]any{"image": []any{"1", 0}, "blur_radius": 1, "sigma": 1.0}},
		"3": map[string]any{"class_type": "PreviewImage", "inputs": map[string]any{"images": []any{"2", 0}}},
	}
	post := func(extra map[string]any) map[string]any {
		req := map[string]any{"prompt": slow, "client_id": "n"}
		for k, v := range extra {
			req[k] = v
		}
		code, _, body := doJSON(t, "POST", s.URL()+"/prompt", req)
		if code != 200 {
			t.Fatalf("POST /prompt: %d %v", code, body)
		}
		return body.(map[string]any)
	}
	r0 := post(nil)
	doJSON(t, "POST", s.URL()+"/prompt", map[string]any{"client_id": "n"}) // rejected, still counts
	r2 := post(nil)
	r3 := post(map[string]any{"front": true})
	r4 := post(map[string]any{"number": 5.5, "prompt_id": "my-own-prompt-id-0001", "extra_data": map[string]any{"extra_pnginfo": map[string]any{"workflow": map[string]any{"note": "x"}}}})
	if r0["number"] != 0.0 || r2["number"] != 2.0 || r3["number"] != -3.0 || r4["number"] != 5.5 || r4["prompt_id"] != "my-own-prompt-id-0001" {
		t.Fatalf("numbers: %v %v %v %v", r0, r2, r3, r4)
	}
	_, _, q := doJSON(t, "GET", s.URL()+"/queue", nil)
	want := readFixture(t, "queue_running_and_pending.json")
	if d := shapeDiff("$", withoutGraphs(want), withoutGraphs(q)); len(d) > 0 {
		t.Fatalf("queue shape: %v", d)
	}
	pend := q.(map[string]any)["queue_pending"].([]any)
	var nums []float64
	for _, p := range pend {
		nums = append(nums, p.([]any)[0].(float64))
	}
	if nums[0] != -3 || len(nums) != 3 {
		t.Fatalf("heap order: %v", nums)
	}
	sort.Float64s(nums)
	if d := cmp.Diff([]float64{-3, 2, 5.5}, nums); d != "" {
		t.Fatal(d)
	}
	code, hdr, body := doJSON(t, "POST", s.URL()+"/queue", map[string]any{"delete": []string{r2["prompt_id"].(string)}})
	if code != 200 || body != nil || hdr.Get("Content-Type") != "application/octet-stream" {
		t.Fatalf("POST /queue delete: %d %q %v", code, hdr.Get("Content-Type"), body)
	}
	_, _, q = doJSON(t, "GET", s.URL()+"/queue", nil)
	if n := len(q.(map[string]any)["queue_pending"].([]any)); n != 2 {
		t.Fatalf("after delete: %d pending", n)
	}
	_, _, gp := doJSON(t, "GET", s.URL()+"/prompt", nil)
	if d := cmp.Diff(map[string]any{"exec_info": map[string]any{"queue_remaining": 3.0}}, gp); d != "" {
		t.Fatal(d)
	}
	doJSON(t, "POST", s.URL()+"/queue", map[string]any{"clear": true})
	_, _, q = doJSON(t, "GET", s.URL()+"/queue", nil)
	if d := shapeDiff("$", withoutGraphs(readFixture(t, "queue_after_clear.json")), withoutGraphs(q)); len(d) > 0 || len(q.(map[string]any)["queue_running"].([]any)) != 1 {
		t.Fatalf("after clear: %v %v", d, q)
	}
	// A targeted interrupt at another id is a no-op; at the running id it stops it.
	doJSON(t, "POST", s.URL()+"/interrupt", map[string]any{"prompt_id": "not-running"})
	_, _, q = doJSON(t, "GET", s.URL()+"/queue", nil)
	if len(q.(map[string]any)["queue_running"].([]any)) != 1 {
		t.Fatal("non-matching interrupt stopped the job")
	}
	ws := dialWS(t, s.URL(), "/ws", "n")
	ws.next()
	doJSON(t, "POST", s.URL()+"/interrupt", map[string]any{"prompt_id": r0["prompt_id"]})
	msgs := ws.until(isExecutingNull)
	found := false
	for _, m := range msgs {
		if m["type"] == "execution_interrupted" {
			found = true
			want := transcript(t, "ws_run_interrupted_global.jsonl")
			for _, w := range want {
				if w["type"] == "execution_interrupted" {
					if d := shapeDiff("$", w, m); len(d) > 0 {
						t.Fatalf("execution_interrupted shape: %v", d)
					}
				}
			}
		}
	}
	if !found {
		t.Fatalf("no execution_interrupted in %v", signature(msgs))
	}
	_, _, h := doJSON(t, "GET", s.URL()+"/history/"+r0["prompt_id"].(string), nil)
	hi := readFixture(t, "history_interrupted.json")
	if d := shapeDiff("$", blankGraph(firstValue(hi)), blankGraph(firstValue(h))); len(d) > 0 {
		t.Fatalf("interrupted history shape: %v", d)
	}
}

// withoutGraphs blanks the prompt graph (element 2) of every queue item,
// since the test's graphs are not the capture's.
func withoutGraphs(q any) any {
	b, _ := json.Marshal(q)
	var c map[string]any
	_ = json.Unmarshal(b, &c)
	for _, k := range []string{"queue_running", "queue_pending"} {
		for _, it := range c[k].([]any) {
			it.([]any)[2] = map[string]any{}
		}
	}
	return c
}

// blankGraph blanks the prompt graph inside a history entry.
func blankGraph(e any) any {
	b, _ := json.Marshal(e)
	var c map[string]any
	_ = json.Unmarshal(b, &c)
	c["prompt"].([]any)[2] = map[string]any{}
	return c
}

func firstValue(v any) any {
	for _, x := range v.(map[string]any) {
		return x
	}
	return nil
}

// TestInterruptGlobalTranscript reproduces ws_run_interrupted_global.jsonl:
// an interrupt during a node without interrupt checks lets it finish and
// stops the prompt as the next node starts.
func TestInterruptGlobalTranscript(t *testing.T) {
	s := startSim(t, Options{Faults: Faults{StepDelay: 1 << 40}})
	ws := dialWS(t, s.URL(), "/ws", "21af22b9bded4d348aeb02cf5889bca9")
	ws.next()
	graph := map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 256, "height": 256, "batch_size": 1, "color": 4482594}},
		"8": map[string]any{"class_type": "PreviewImage", "inputs": map[string]any{"images": []any{"7", 0}}},
	}
	for i := 2; i <= 7; i++ {
		graph[fmt.Sprint(i)] = map[string]any{"class_type": "ImageBlur", "inputs": map[string]any{"image": []any{fmt.Sprint(i - 1), 0}, "blur_radius": 15, "sigma": 3.0}}
	}
	submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "21af22b9bded4d348aeb02cf5889bca9"})
	msgs := ws.until(func(m map[string]any) bool {
		return m["type"] == "executing" && m["data"].(map[string]any)["node"] == "2"
	})
	for i := 0; s.working.Load() == 0; i++ { // node 2 is inside its work
		if i == 10000 {
			t.Fatal("ImageBlur never started")
		}
		time.Sleep(time.Millisecond)
	}
	doJSON(t, "POST", s.URL()+"/interrupt", "")
	msgs = append(msgs, ws.until(isExecutingNull)...)
	want := transcript(t, "ws_run_interrupted_global.jsonl")
	if d := cmp.Diff(signature(want), signature(msgs)); d != "" {
		t.Fatalf("event order differs (-capture +sim):\n%s", d)
	}
}
