package comfysim

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// waitHistory polls /history/{id} until the entry exists (bounded by
// attempts, not asserted on time).
func waitHistory(t *testing.T, s *Server, id string) map[string]any {
	t.Helper()
	for i := 0; i < 2000; i++ {
		_, _, h := doJSON(t, "GET", s.URL()+"/history/"+id, nil)
		if e, ok := h.(map[string]any)[id]; ok {
			return e.(map[string]any)
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("history for %s never appeared", id)
	return nil
}

func TestFaultOOM(t *testing.T) {
	s := startSim(t, Options{})
	var f Faults
	if err := ParseFault("oom-class=ImageInvert", &f); err != nil {
		t.Fatal(err)
	}
	s.SetFaults(f)
	ws := dialWS(t, s.URL(), "/ws", "c")
	ws.next()
	submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": invertGraph(1, "oom")})
	msgs := ws.until(isType("execution_error"))
	d := msgs[len(msgs)-1]["data"].(map[string]any)
	if d["exception_type"] != "torch.OutOfMemoryError" || !strings.Contains(d["exception_message"].(string), "ran out of memory on your GPU") {
		t.Fatalf("OOM error: %v", d)
	}
}

// TestFaultWSCut: the socket dies after N messages; the run still
// finishes and /history has the outputs (what a client reconciles with).
func TestFaultWSCut(t *testing.T) {
	s := startSim(t, Options{Faults: Faults{WSCutAfter: 5}})
	ws := dialWS(t, s.URL(), "/ws", "c")
	id := submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": invertGraph(2, "cut")})
	n := 0
	for {
		_ = ws.c.SetReadDeadline(time.Now().Add(20 * time.Second))
		if _, _, err := ws.c.ReadMessage(); err != nil {
			break
		}
		n++
	}
	if n != 5 {
		t.Fatalf("read %d messages before the cut, want 5", n)
	}
	e := waitHistory(t, s, id)
	if e["status"].(map[string]any)["status_str"] != "success" || len(e["outputs"].(map[string]any)) != 1 {
		t.Fatalf("history after cut: %v", e)
	}
}

// TestFaultWSDrop: with 50 % drops a run's messages go missing, the run
// still succeeds; after SetFaults the next run's messages all arrive.
func TestFaultWSDrop(t *testing.T) {
	s := startSim(t, Options{Faults: Faults{WSDropRate: 0.5, Seed: 3}})
	ws := dialWS(t, s.URL(), "/ws", "c")
	ws.next()
	id1 := submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": invertGraph(3, "drop")})
	waitHistory(t, s, id1)
	// Let the worker finish its trailing messages before lifting the fault.
	for s.queue.remaining() != 0 || s.Stats().Runs != 1 {
		time.Sleep(time.Millisecond)
	}
	s.SetFaults(Faults{})
	id2 := submit(t, s, "/prompt", map[string]any{"client_id": "c", "prompt": invertGraph(4, "drop")})
	first := 0
	msgs := ws.until(func(m map[string]any) bool {
		d, _ := m["data"].(map[string]any)
		return isExecutingNull(m) && d["prompt_id"] == id2
	})
	for _, m := range msgs {
		if d, _ := m["data"].(map[string]any); d != nil && d["prompt_id"] == id1 {
			first++
		}
	}
	if first >= 15 { // a clean run sends 15 messages carrying the prompt id
		t.Fatalf("no message of the first run was dropped (%d)", first)
	}
	if e := waitHistory(t, s, id1); e["status"].(map[string]any)["status_str"] != "success" {
		t.Fatalf("first run: %v", e["status"])
	}
}

func TestFaultDownloads(t *testing.T) {
	s := startSim(t, Options{})
	content := bytes.Repeat([]byte("abcdefghij"), 1000)
	if err := os.WriteFile(filepath.Join(s.OutputDir(), "big.png"), content, 0o644); err != nil {
		t.Fatal(err)
	}
	u := s.URL() + "/view?filename=big.png&type=output"

	s.SetFaults(Faults{ViewErrorRate: 1})
	if resp, err := http.Get(u); err != nil || resp.StatusCode != 500 {
		t.Fatalf("5xx: %v %v", err, resp)
	} else {
		resp.Body.Close()
	}

	s.SetFaults(Faults{ViewResetRate: 1, ViewResetAfter: 1234})
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err == nil || len(got) != 1234 {
		t.Fatalf("reset: read %d bytes, err %v", len(got), err)
	}
	// Resume with Range once the fault is gone.
	s.SetFaults(Faults{SlowBodyBPS: 1 << 20})
	req, _ := http.NewRequest("GET", u, nil)
	req.Header.Set("Range", fmt.Sprintf("bytes=%d-", len(got)))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil || resp.StatusCode != 206 || !bytes.Equal(append(got, rest...), content) {
		t.Fatalf("resume: %d %v %d bytes", resp.StatusCode, err, len(rest))
	}
}

func TestFaultLatency(t *testing.T) {
	s := startSim(t, Options{Faults: Faults{Latency: time.Millisecond}})
	if code, _, _ := doJSON(t, "GET", s.URL()+"/queue", nil); code != 200 {
		t.Fatal(code)
	}
}
