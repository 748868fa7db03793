package comfysim

import (
	"bytes"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/gorilla/websocket"
)

func cloudReq(t *testing.T, s *Server, method, path string, body any, key string) (int, any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := jsonMarshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, s.URL()+path, rd)
	if key != "" {
		req.Header.Set("X-API-Key", key)
	}
	code, _, v := doReq(t, req)
	return code, v
}

func dialCloudWS(t *testing.T, s *Server, clientID, token string) (*wsConn, *http.Response, error) {
	u := "ws" + strings.TrimPrefix(s.URL(), "http") + "/ws?" + url.Values{"clientId": {clientID}, "token": {token}}.Encode()
	c, resp, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		return nil, resp, err
	}
	t.Cleanup(func() { _ = c.Close() })
	return &wsConn{t: t, c: c}, resp, nil
}

func TestCloudAuthAndRoutes(t *testing.T) {
	s := startSim(t, Options{Flavor: "cloud"})
	key := s.APIKey()
	cases := []struct {
		method, path, key string
		code              int
	}{
		{"GET", "/api/queue", "", 401},
		{"GET", "/api/queue", "wrong", 401},
		{"GET", "/api/queue", key, 200},
		{"GET", "/queue", key, 404},       // /api only
		{"GET", "/api/history", key, 404}, // clients must use history_v2
		{"GET", "/api/history_v2", key, 200},
		{"GET", "/api/system_stats", "", 200},
		{"GET", "/api/experiment/models", "", 200},
		{"GET", "/api/experiment/models/checkpoints", key, 200},
		{"GET", "/api/experiment/models/loras", key, 404},
		{"GET", "/api/experiment/models/nosuch", key, 404},
		{"GET", "/api/job/unknown/status", key, 404},
		{"GET", "/api/object_info/KSampler", key, 200},
		{"GET", "/api/user", key, 200},
	}
	for _, c := range cases {
		code, body := cloudReq(t, s, c.method, c.path, nil, c.key)
		if code != c.code {
			t.Errorf("%s %s (key %q): %d, want %d (%v)", c.method, c.path, c.key, code, c.code, body)
		}
		if code == 401 && body.(map[string]any)["code"] != "unauthorized" {
			t.Errorf("401 body %v", body)
		}
	}
	_, ss := cloudReq(t, s, "GET", "/api/system_stats", nil, "")
	if _, ok := ss.(map[string]any)["system"].(map[string]any)["cloud_version"]; !ok {
		t.Errorf("system_stats lacks cloud_version: %v", ss)
	}
	_, ck := cloudReq(t, s, "GET", "/api/experiment/models/checkpoints", nil, key)
	if d := cmp.Diff([]any{map[string]any{"name": "sim_base.safetensors", "pathIndex": 0.0}}, ck); d != "" {
		t.Error(d)
	}
	_, nf := cloudReq(t, s, "GET", "/api/experiment/models/loras", nil, key)
	if nf.(map[string]any)["code"] != "folder_not_found" {
		t.Errorf("empty folder: %v", nf)
	}
	if _, resp, err := dialCloudWS(t, s, "x", "bad"); err == nil || resp == nil || resp.StatusCode != 401 {
		t.Errorf("ws with bad token: %v %v", err, resp)
	}
}

func TestCloudRunBroadcastAndSignedView(t *testing.T) {
	s := startSim(t, Options{Flavor: "cloud"})
	key := s.APIKey()
	a, _, err := dialCloudWS(t, s, "client-a", key)
	if err != nil {
		t.Fatal(err)
	}
	b, _, err := dialCloudWS(t, s, "client-b", key)
	if err != nil {
		t.Fatal(err)
	}
	a.next()
	b.next()
	code, body := cloudReq(t, s, "POST", "/api/prompt", map[string]any{"client_id": "client-a", "number": 99, "prompt": invertGraph(9, "cloud")}, key)
	if code != 200 {
		t.Fatalf("submit: %d %v", code, body)
	}
	id := body.(map[string]any)["prompt_id"].(string)
	if body.(map[string]any)["number"] == 99.0 {
		t.Error("cloud honoured number")
	}
	// clientId is ignored: both sockets see the job, including a notification.
	for _, ws := range []*wsConn{a, b} {
		msgs := ws.until(isExecutingNull)
		sig := strings.Join(signature(msgs), " ")
		for _, want := range []string{"notification", "execution_start", "executed(3)", "execution_success"} {
			if !strings.Contains(sig, want) {
				t.Fatalf("socket missed %s: %s", want, sig)
			}
		}
	}
	_, st := cloudReq(t, s, "GET", "/api/job/"+id+"/status", nil, key)
	if st.(map[string]any)["status"] != "success" {
		t.Fatalf("job status %v", st)
	}
	_, hv := cloudReq(t, s, "GET", "/api/history_v2/"+id, nil, key)
	e := hv.(map[string]any)[id].(map[string]any)
	p := e["prompt"].(map[string]any)
	for _, k := range []string{"priority", "prompt_id", "prompt", "extra_data", "outputs_to_execute"} {
		if _, ok := p[k]; !ok {
			t.Errorf("history_v2 prompt lacks %s", k)
		}
	}
	_, hl := cloudReq(t, s, "GET", "/api/history_v2", nil, key)
	if h := hl.(map[string]any)["history"].([]any); len(h) != 1 || h[0].(map[string]any)["prompt_id"] != id {
		t.Fatalf("history_v2 list %v", hl)
	}
	_, jd := cloudReq(t, s, "GET", "/api/jobs/"+id, nil, key)
	if jd.(map[string]any)["status"] != "completed" || jd.(map[string]any)["outputs_count"] != 1.0 {
		t.Fatalf("job detail %v", jd)
	}

	// /api/view: 302 to another host; the storage refuses credentials.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", s.URL()+"/api/view?filename=cloud_00001_.png&type=output&subfolder=", nil)
	req.Header.Set("X-API-Key", key)
	resp, err := noFollow.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	if resp.StatusCode != 302 || !strings.HasPrefix(loc, s.StorageURL()+"/o/") || s.StorageURL() == s.URL() {
		t.Fatalf("view: %d %q (storage %s)", resp.StatusCode, loc, s.StorageURL())
	}
	want, _ := os.ReadFile(filepath.Join(s.OutputDir(), "cloud_00001_.png"))
	for _, hdr := range []string{"X-API-Key", "Authorization", "Cookie", ""} {
		req, _ := http.NewRequest("GET", loc, nil)
		if hdr != "" {
			req.Header.Set(hdr, "secret")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if hdr != "" && resp.StatusCode != 403 {
			t.Errorf("storage accepted %s: %d", hdr, resp.StatusCode)
		}
		if hdr == "" && (resp.StatusCode != 200 || !bytes.Equal(got, want)) {
			t.Errorf("storage download: %d, %d bytes", resp.StatusCode, len(got))
		}
	}
}

func TestCloudSwitchesAndTiers(t *testing.T) {
	s := startSim(t, Options{Flavor: "cloud", Tier: "creator", Faults: Faults{StepDelay: 1 << 40}})
	key := s.APIKey()
	for _, st := range []int{402, 429, 401} {
		s.SetFaults(Faults{CloudStatus: st, StepDelay: 1 << 40})
		if code, _ := cloudReq(t, s, "POST", "/api/prompt", map[string]any{"prompt": invertGraph(1, "x")}, key); code != st {
			t.Errorf("cloud-status %d: got %d", st, code)
		}
	}
	s.SetFaults(Faults{StepDelay: 1 << 40})
	slow := map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 8, "height": 8, "batch_size": 1, "color": 0}},
		"2": map[string]any{"class_type": "ImageBlur", "inputs": map[string]any{"image": []any{"1", 0}, "blur_radius": 1, "sigma": 1.0}},
		"3": map[string]any{"class_type": "PreviewImage", "inputs": map[string]any{"images": []any{"2", 0}}},
	}
	ws, _, err := dialCloudWS(t, s, "t", key)
	if err != nil {
		t.Fatal(err)
	}
	ws.next()
	for i := 0; i < 4; i++ {
		slow["1"].(map[string]any)["inputs"].(map[string]any)["color"] = i
		if code, b := cloudReq(t, s, "POST", "/api/prompt", map[string]any{"prompt": slow}, key); code != 200 {
			t.Fatalf("submit %d: %v", code, b)
		}
	}
	// Three jobs reach ImageBlur (creator tier: 3 concurrent), the fourth waits.
	blurring := 0
	ws.until(func(m map[string]any) bool {
		if m["type"] == "executing" && m["data"].(map[string]any)["node"] == "2" {
			blurring++
		}
		return blurring == 3
	})
	_, q := cloudReq(t, s, "GET", "/api/queue", nil, key)
	qm := q.(map[string]any)
	if len(qm["queue_running"].([]any)) != 3 || len(qm["queue_pending"].([]any)) != 1 {
		t.Fatalf("queue %v", qm)
	}
	item := qm["queue_pending"].([]any)[0].([]any)
	if _, ok := item[4].(map[string]any)["create_time"]; !ok {
		t.Fatalf("cloud queue item %v", item)
	}
	code, del := cloudReq(t, s, "POST", "/api/queue", map[string]any{"clear": true}, key)
	if code != 200 || del.(map[string]any)["cleared"] != true || len(del.(map[string]any)["deleted"].([]any)) != 1 {
		t.Fatalf("clear: %d %v", code, del)
	}
	cloudReq(t, s, "POST", "/api/interrupt", nil, key)
	stopped := 0
	ws.until(func(m map[string]any) bool {
		if m["type"] == "execution_interrupted" {
			stopped++
		}
		return stopped == 3
	})
	// three interrupted, one removed from the queue (bounded poll: the job
	// registry is updated just after the trailing WS messages)
	for i := 0; ; i++ {
		_, jobs := cloudReq(t, s, "GET", "/api/jobs?status=cancelled", nil, key)
		if n := jobs.(map[string]any)["pagination"].(map[string]any)["total"]; n == 4.0 {
			break
		} else if i == 2000 {
			t.Fatalf("cancelled jobs: %v", jobs)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestCloudAssetsDownload(t *testing.T) {
	s := startSim(t, Options{Flavor: "cloud"})
	key := s.APIKey()
	if code, _ := cloudReq(t, s, "POST", "/api/assets/download", map[string]any{"source_url": "https://example.com/x.safetensors"}, key); code != 400 {
		t.Fatalf("foreign source: %d", code)
	}
	src := "https://huggingface.co/org/repo/resolve/main/sim_lora.safetensors"
	code, body := cloudReq(t, s, "POST", "/api/assets/download", map[string]any{"source_url": src, "tags": []string{"models", "loras"}}, key)
	if code != 202 {
		t.Fatalf("download: %d %v", code, body)
	}
	id := body.(map[string]any)["task_id"].(string)
	for i := 0; ; i++ {
		_, tk := cloudReq(t, s, "GET", "/api/tasks/"+id, nil, key)
		if tk.(map[string]any)["status"] == "completed" {
			break
		}
		if i == 2000 {
			t.Fatalf("task never completed: %v", tk)
		}
		time.Sleep(5 * time.Millisecond)
	}
	_, lo := cloudReq(t, s, "GET", "/api/experiment/models/loras", nil, key)
	if d := cmp.Diff([]any{map[string]any{"name": "sim_lora.safetensors", "pathIndex": 0.0}}, lo); d != "" {
		t.Fatal(d)
	}
	if code, _ := cloudReq(t, s, "POST", "/api/assets/download", map[string]any{"source_url": src, "tags": []string{"models", "loras"}}, key); code != 200 {
		t.Fatalf("already stored: %d", code)
	}
}
