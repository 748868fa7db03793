package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

// previewGraph sends two preview frames (SaveImageWebsocket) after a short sampler.
func previewGraph() map[string]any {
	return map[string]any{
		"1": map[string]any{"class_type": "EmptyImage", "inputs": map[string]any{"width": 8, "height": 8, "batch_size": 2, "color": 0}},
		"2": map[string]any{"class_type": "SaveImageWebsocket", "inputs": map[string]any{"images": []any{"1", 0}}},
	}
}

// submitAnon queues a graph without a client id: ComfyUI then broadcasts its progress
// and previews to every socket.
func submitAnon(t *testing.T, srv *comfysim.Server, id string, graph map[string]any) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"prompt": graph, "prompt_id": id})
	resp, err := http.Post(srv.URL()+"/prompt", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("submit %s: HTTP %d", id, resp.StatusCode)
	}
}

func TestWatchOnePromptFailureAndSuccess(t *testing.T) {
	srv := startSim(t, comfysim.Faults{FailClass: "VAEDecode", FailMessage: "simulated decoder failure"})
	dir := t.TempDir()
	submitRaw(t, srv, qid1, simGraph(2))
	waitHistory(t, srv, qid1)
	var transcript strings.Builder
	step := func(args ...string) {
		res := run(t, dir, nil, append([]string{"watch"}, append(args, "-url="+srv.URL())...)...)
		fmt.Fprintf(&transcript, "$ comfyhcl watch %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	step(qid1)
	step(qid1, "-json")
	step("a", "b")
	step(qid2) // unknown to the server
	opsGolden(t, "watch/failure.golden", normalizeOps(transcript.String(), srv))
}

// TestWatchServerWide follows a running prompt and then a queued one that sends previews,
// until Ctrl-C.
func TestWatchServerWide(t *testing.T) {
	srv := startSim(t, comfysim.Faults{StepDelay: 20 * time.Millisecond})
	dir := t.TempDir()
	submitAnon(t, srv, qid1, simGraph(10000)) // holds the worker until interrupted
	waitQueue(t, srv, func(r, _ []string) bool { return len(r) == 1 })

	cmd := exec.Command(binPath, "watch", "-json", "-previews", "frames", "-url", srv.URL())
	cmd.Dir = dir
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderrFile := filepath.Join(t.TempDir(), "stderr")
	ef, _ := os.Create(stderrFile)
	defer ef.Close()
	cmd.Stderr = ef
	stderr := func() string { b, _ := os.ReadFile(stderrFile); return string(b) }
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	// A watchdog so that a missing event fails the test (with what was seen) instead of
	// hanging the package: the watch itself never ends on its own.
	watchdog := time.AfterFunc(3*time.Minute, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	lines := bufio.NewScanner(stdout)
	var seen []map[string]any
	waitFor := func(what string, match func(map[string]any) bool) {
		t.Helper()
		for lines.Scan() {
			var m map[string]any
			if err := json.Unmarshal(lines.Bytes(), &m); err != nil {
				t.Fatalf("not JSON: %s", lines.Text())
			}
			seen = append(seen, m)
			if match(m) {
				return
			}
		}
		t.Fatalf("watch ended before %s; events %v; stderr:\n%s", what, seen, stderr())
	}
	is := func(typ, id string) func(map[string]any) bool {
		return func(m map[string]any) bool { return m["type"] == typ && m["prompt_id"] == id }
	}
	waitFor("progress of the running prompt", is("progress", qid1))
	submitAnon(t, srv, qid2, previewGraph())
	waitFor("the second prompt queued", is("queued", qid2))
	http.Post(srv.URL()+"/interrupt", "application/json", strings.NewReader("{}"))
	waitFor("the first prompt's end", is("interrupted", qid1))
	waitFor("the second prompt's end", is("succeeded", qid2))
	cmd.Process.Signal(syscall.SIGINT)
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Errorf("watch after Ctrl-C: %v, want exit %d\n%s", err, exitInterrupted, stderr())
	}
	previews := 0
	for _, m := range seen {
		if m["type"] == "preview" && m["prompt_id"] == qid2 {
			previews++
			if _, err := os.Stat(filepath.FromSlash(m["preview"].(string))); err != nil {
				t.Errorf("preview file: %v", err)
			}
		}
	}
	if previews != 2 {
		t.Errorf("%d previews of %s, want 2; events: %v", previews, qid2, seen)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "frames", qid2+"-*.png"))
	if len(files) != 2 {
		t.Errorf("preview files %v", files)
	}
}
