package main

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

var (
	uuidRE     = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)
	durationRE = regexp.MustCompile(`"duration_ms":\d+`)
	timeRE     = regexp.MustCompile(`"time":"[^"]*"`)
)

// normalizeRun replaces what differs between runs: prompt ids, durations, times, URL.
func normalizeRun(s string, srv *comfysim.Server) string {
	s = normalizeOps(s, srv)
	s = uuidRE.ReplaceAllString(s, "<prompt-id>")
	s = durationRE.ReplaceAllString(s, `"duration_ms":0`)
	return timeRE.ReplaceAllString(s, `"time":"T"`)
}

// withoutProgress drops -json progress lines, whose number depends on timing.
func withoutProgress(s string) string {
	var keep []string
	for _, l := range strings.SplitAfter(s, "\n") {
		if !strings.Contains(l, `"type":"render_event"`) {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "")
}

// runDir is a working directory holding the run testdata workflows.
func runDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	for _, f := range []string{"txt2img.json", "invert.json"} {
		data, err := os.ReadFile(filepath.Join("testdata", "run", f))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, f), data, 0o644)
	}
	return dir
}

func TestRunSweepTableAndOutputs(t *testing.T) {
	srv := startSim(t, comfysim.Faults{})
	dir := runDir(t)
	var transcript strings.Builder
	step := func(args ...string) result {
		res := run(t, dir, nil, append([]string{"run"}, append(args, "-url="+srv.URL())...)...)
		fmt.Fprintf(&transcript, "$ comfyhcl run %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), res.code, withoutProgress(res.stdout), res.stderr)
		return res
	}
	step("txt2img.json", "-param", "prompt=a red boat", "-sweep", "steps=2,3;cfg=5")
	res := step("txt2img.json", "-count", "2", "-output", "batch", "-flat-output", "-json")
	if n := strings.Count(res.stdout, `"type":"render_event"`); n < 4 {
		t.Errorf("-json reported %d progress events, want several", n)
	}
	step("txt2img.json", "-param", "steps=abc")
	step("txt2img.json", "-param", "nosuch=1")
	step("txt2img.json", "-sweep", "steps")
	step("missing.json")
	step()
	opsGolden(t, "run/sweep.golden", strings.ReplaceAll(normalizeRun(transcript.String(), srv), dir, "<DIR>"))

	for _, p := range []string{"outputs/000/run/hero_00001_.png", "outputs/001/run/hero_00002_.png", "batch/000/hero_00003_.png", "batch/001/hero_00004_.png"} {
		if _, err := os.Stat(filepath.Join(dir, p)); err != nil {
			t.Errorf("output: %v", err)
		}
	}
}

func TestRunFailureStopsOrContinues(t *testing.T) {
	srv := startSim(t, comfysim.Faults{FailClass: "KSampler", FailMessage: "simulated sampler failure"})
	dir := runDir(t)
	var transcript strings.Builder
	step := func(args ...string) {
		res := run(t, dir, nil, append([]string{"run"}, append(args, "-url="+srv.URL())...)...)
		fmt.Fprintf(&transcript, "$ comfyhcl run %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), res.code, withoutProgress(res.stdout), res.stderr)
	}
	step("txt2img.json", "-count", "2")
	step("txt2img.json", "-count", "2", "-continue-on-error", "-json")
	opsGolden(t, "run/failure.golden", normalizeRun(transcript.String(), srv))
	if n := srv.Stats().Submits; n != 3 {
		t.Errorf("%d submits: the first run should stop after its first failure (1), the second go on (2)", n)
	}
}

func TestRunInputImageUploads(t *testing.T) {
	srv := startSim(t, comfysim.Faults{})
	dir := runDir(t)
	writePNG(t, filepath.Join(dir, "photo.png"), 30)
	res := run(t, dir, nil, "run", "invert.json", "-input-image", "image=photo.png", "-url", srv.URL())
	if res.code != 0 || !strings.Contains(res.stdout, "outputs/inverted_00001_.png") {
		t.Fatalf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if _, err := os.Stat(filepath.Join(srv.InputDir(), "photo.png")); err != nil {
		t.Errorf("the image was not uploaded: %v", err)
	}
}

// TestOpsAgainstCloudFlavour drives run, queue, logs and upload through the cloud
// provider against the simulator's cloud flavour; the API key must never be printed.
func TestOpsAgainstCloudFlavour(t *testing.T) {
	const key = "sim-secret-key-5f2a"
	srv, err := comfysim.New(comfysim.Options{Flavor: "cloud", APIKey: key})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := runDir(t)
	writePNG(t, filepath.Join(dir, "photo.png"), 90)
	env := []string{"COMFY_CLOUD_API_KEY=" + key}
	cloud := func(args ...string) result {
		res := run(t, dir, env, append(args, "-provider", "cloud", "-url", srv.URL())...)
		if strings.Contains(res.stdout+res.stderr, key) {
			t.Errorf("%v printed the API key", args)
		}
		return res
	}
	res := cloud("run", "txt2img.json", "-json")
	if res.code != 0 || !strings.Contains(res.stdout, `"type":"run_complete"`) {
		t.Fatalf("run: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	id := uuidRE.FindString(res.stdout)
	if res := cloud("logs", id); res.code != 0 || !strings.Contains(res.stdout, "success") {
		t.Errorf("logs: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res := cloud("queue", "-json"); res.code != 0 || !strings.Contains(res.stdout, `"pending":[]`) {
		t.Errorf("queue: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res := cloud("upload", "photo.png"); res.code != 0 || strings.TrimSpace(res.stdout) == "" {
		t.Errorf("upload: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res := run(t, dir, nil, "queue", "-provider", "cloud", "-url", srv.URL()); res.code != 1 || !strings.Contains(res.stderr, "COMFY_CLOUD_API_KEY") {
		t.Errorf("queue without a key: exit %d\n%s", res.code, res.stderr)
	}
}

// TestRunCtrlCCancelsOnServer interrupts a run whose render would take minutes: exit 130
// and the server's queue is empty again.
func TestRunCtrlCCancelsOnServer(t *testing.T) {
	srv := startSim(t, comfysim.Faults{StepDelay: 20 * time.Millisecond})
	dir := runDir(t)
	cmd := exec.Command(binPath, "run", "txt2img.json", "-param", "steps=10000", "-count", "2", "-url", srv.URL())
	cmd.Dir = dir
	stdout, _ := cmd.StdoutPipe()
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	watchdog := time.AfterFunc(3*time.Minute, func() { cmd.Process.Kill() })
	defer watchdog.Stop()
	sc := bufio.NewScanner(stdout)
	var out strings.Builder
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
		if strings.Contains(sc.Text(), "submitted") {
			break
		}
	}
	waitQueue(t, srv, func(r, _ []string) bool { return len(r) == 1 })
	cmd.Process.Signal(syscall.SIGINT)
	for sc.Scan() {
		out.WriteString(sc.Text() + "\n")
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("exit %v, want %d\n%s\n%s", err, exitInterrupted, out.String(), stderr.String())
	}
	if !strings.Contains(out.String(), "run[1]    skipped") || !strings.Contains(stderr.String(), "Interrupted") {
		t.Errorf("output:\n%s\n%s", out.String(), stderr.String())
	}
	waitQueue(t, srv, func(r, p []string) bool { return len(r) == 0 && len(p) == 0 })
	if n := srv.Stats().Submits; n != 1 {
		t.Errorf("%d submits after Ctrl-C during the first render, want 1", n)
	}
}
