package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

var updateOpsGolden = flag.Bool("update-golden-ops", false, "rewrite the golden files of run, watch, logs, queue and upload")

// opsGolden compares got with testdata/<path>, or rewrites it with -update-golden-ops.
func opsGolden(t *testing.T, path, got string) {
	t.Helper()
	path = filepath.Join("testdata", path)
	if *updateOpsGolden {
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update-golden-ops creates it)", err, t.Name())
	}
	if string(want) != got {
		t.Errorf("%s differs (-update-golden-ops rewrites it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// simGraph is the quickstart txt2img graph with a given number of sampler steps.
func simGraph(steps int) map[string]any {
	var g map[string]any
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json"))
	if err != nil {
		panic(err)
	}
	json.Unmarshal(data, &g)
	g["3"].(map[string]any)["inputs"].(map[string]any)["steps"] = steps
	return g
}

// submitRaw queues graph on the simulator under a fixed prompt id, as another client would.
func submitRaw(t *testing.T, srv *comfysim.Server, id string, graph map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"prompt": graph, "prompt_id": id, "client_id": "someone-else"})
	resp, err := http.Post(srv.URL()+"/prompt", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("submit %s: HTTP %d", id, resp.StatusCode)
	}
}

// waitQueue polls /queue until cond holds, giving up after a generous number of polls.
func waitQueue(t *testing.T, srv *comfysim.Server, cond func(running, pending []string) bool) {
	t.Helper()
	for polls := 0; ; polls++ {
		if polls == 12000 {
			t.Fatalf("the simulator's queue never reached the expected state")
		}
		var q struct {
			Running [][]any `json:"queue_running"`
			Pending [][]any `json:"queue_pending"`
		}
		resp, err := http.Get(srv.URL() + "/queue")
		if err != nil {
			t.Fatal(err)
		}
		json.NewDecoder(resp.Body).Decode(&q)
		resp.Body.Close()
		ids := func(items [][]any) (out []string) {
			for _, it := range items {
				out = append(out, fmt.Sprint(it[1]))
			}
			return out
		}
		if cond(ids(q.Running), ids(q.Pending)) {
			return
		}
		time.Sleep(10 * time.Millisecond)
	}
}

const (
	qid1 = "11111111-1111-4111-8111-111111111111"
	qid2 = "22222222-2222-4222-8222-222222222222"
	qid3 = "33333333-3333-4333-8333-333333333333"
)

func TestQueueListCancelClearInterrupt(t *testing.T) {
	srv := startSim(t, comfysim.Faults{StepDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	url := "-url=" + srv.URL()
	// The first prompt holds the worker (10000 slow steps) until interrupted.
	submitRaw(t, srv, qid1, simGraph(10000))
	waitQueue(t, srv, func(r, _ []string) bool { return len(r) == 1 })
	submitRaw(t, srv, qid2, simGraph(1))
	submitRaw(t, srv, qid3, simGraph(2))

	var transcript strings.Builder
	step := func(args ...string) {
		res := run(t, dir, nil, append([]string{"queue"}, append(args, url)...)...)
		fmt.Fprintf(&transcript, "$ comfyhcl queue %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	step("list")
	step("list", "-json")
	step("cancel", qid3, "44444444-4444-4444-8444-444444444444")
	step("clear", "-json")
	step("interrupt")
	waitQueue(t, srv, func(r, p []string) bool { return len(r) == 0 && len(p) == 0 })
	step()
	step("bogus")
	step("cancel")
	opsGolden(t, "queue/transcript.golden", transcript.String())
}

func TestQueueUnreachableServer(t *testing.T) {
	res := run(t, t.TempDir(), nil, "queue", "-url", "http://127.0.0.1:1")
	if res.code != 1 || !strings.Contains(res.stderr, "127.0.0.1:1") || !strings.Contains(res.stderr, "running") {
		t.Errorf("exit %d\n%s", res.code, res.stderr)
	}
}

// TestQueueUsesConfiguredProvider: without -url, the provider of the working directory's
// *.comfy.hcl is used.
func TestQueueUsesConfiguredProvider(t *testing.T) {
	srv := startSim(t, comfysim.Faults{})
	dir := copyExample(t, "quickstart")
	res := run(t, dir, []string{"COMFYHCL_VAR_server_url=" + srv.URL()}, "queue", "-json")
	if res.code != 0 || strings.TrimSpace(res.stdout) != `{"pending":[],"running":[]}` {
		t.Errorf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if n := srv.Stats().Requests["GET /queue"]; n != 1 {
		t.Errorf("the configured server saw %d GET /queue, want 1", n)
	}
}
