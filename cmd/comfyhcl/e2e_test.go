package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core/state"
)

// binPath is the comfyhcl binary built once for every end-to-end test.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "comfyhcl-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "comfyhcl")
	build := exec.Command("go", "build", "-race", "-o", binPath, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building comfyhcl:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// startSim runs a simulator on a free loopback port for the duration of the test.
func startSim(t *testing.T, faults comfysim.Faults) *comfysim.Server {
	t.Helper()
	srv, err := comfysim.New(comfysim.Options{Faults: faults})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

// copyExample copies an example configuration into a temp dir so tests never write
// into the source tree.
func copyExample(t *testing.T, name string) string {
	t.Helper()
	src := filepath.Join("..", "..", "examples", name)
	dst := t.TempDir()
	err := filepath.Walk(src, func(path string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if rel == "out" || strings.HasPrefix(rel, state.FileName) {
			if info.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if info.IsDir() {
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

type result struct {
	code           int
	stdout, stderr string
	pid            int
}

// run executes the built binary in dir with extra environment.
func run(t *testing.T, dir string, env []string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Start()
	if err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	err = cmd.Wait()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return result{code: code, stdout: out.String(), stderr: errb.String(), pid: pid}
}

func readState(t *testing.T, dir string) *state.State {
	t.Helper()
	st, err := state.Load(filepath.Join(dir, state.FileName))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestQuickstartPlanApplyNoChanges(t *testing.T) {
	srv := startSim(t, comfysim.Faults{})
	dir := copyExample(t, "quickstart")
	logPath := filepath.Join(t.TempDir(), "comfyhcl.log")
	env := []string{"COMFYHCL_VAR_server_url=" + srv.URL(), "COMFYHCL_LOG_PATH=" + logPath}

	plan := run(t, dir, env, "plan")
	if plan.code != 0 || !strings.Contains(plan.stdout, "+   render.hero") {
		t.Fatalf("plan: exit %d\n%s\n%s", plan.code, plan.stdout, plan.stderr)
	}
	apply := run(t, dir, env, "apply", "-auto-approve")
	if apply.code != 0 {
		t.Fatalf("apply: exit %d\n%s\n%s", apply.code, apply.stdout, apply.stderr)
	}

	st := readState(t, dir)
	inst, _ := st.FindRender("render.hero")
	if inst == nil || inst.Status != state.StatusSucceeded || len(inst.Outputs) != 1 {
		t.Fatalf("state after apply: %+v", inst)
	}
	out := inst.Outputs[0]
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(out.Path)))
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(data)
	if hex.EncodeToString(sum[:]) != out.SHA256 || int64(len(data)) != out.Size {
		t.Errorf("file on disk does not match state: sha256 %x size %d vs %+v", sum, len(data), out)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(data))
	if err != nil || cfg.Width != 640 || cfg.Height != 384 {
		t.Errorf("output PNG: %dx%d (%v), want 640x384 from the latent", cfg.Width, cfg.Height, err)
	}
	if !strings.HasPrefix(out.Path, "out/hero/quickstart/") {
		t.Errorf("output %s should keep the server's subfolder under out/hero/", out.Path)
	}
	assertProviderInOtherProcess(t, logPath, apply.pid)

	again := run(t, dir, env, "apply", "-auto-approve")
	if again.code != 0 || !strings.Contains(again.stdout, "No changes") {
		t.Fatalf("second apply should change nothing: exit %d\n%s\n%s", again.code, again.stdout, again.stderr)
	}
	if after := readState(t, dir); after.Serial != st.Serial {
		t.Errorf("a no-op apply bumped the state serial from %d to %d", st.Serial, after.Serial)
	}
	if n := srv.Stats().Submits; n != 1 {
		t.Errorf("the simulator saw %d submits, want 1", n)
	}
}

// assertProviderInOtherProcess reads go-plugin's "plugin started" log line and checks the
// provider's pid is not the CLI's.
func assertProviderInOtherProcess(t *testing.T, logPath string, cliPid int) {
	t.Helper()
	logData, err := os.ReadFile(logPath)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`plugin started: .*pid=(\d+)`).FindSubmatch(logData)
	if m == nil {
		t.Fatalf("no 'plugin started' line in the log:\n%s", logData)
	}
	pid, _ := strconv.Atoi(string(m[1]))
	if pid == 0 || pid == cliPid {
		t.Errorf("provider pid %d, CLI pid %d: the provider must run in its own process", pid, cliPid)
	}
}

func TestFailingNodeFailsApplyAndRecordsNoOutputs(t *testing.T) {
	srv := startSim(t, comfysim.Faults{FailClass: "KSampler", FailType: "RuntimeError", FailMessage: "simulated sampler failure"})
	dir := copyExample(t, "quickstart")
	env := []string{"COMFYHCL_VAR_server_url=" + srv.URL()}

	apply := run(t, dir, env, "apply", "-auto-approve")
	if apply.code == 0 {
		t.Fatalf("apply of a failing graph exited 0\n%s", apply.stdout)
	}
	for _, want := range []string{"Node 3 (KSampler)", "RuntimeError", "simulated sampler failure"} {
		if !strings.Contains(apply.stderr, want) {
			t.Errorf("error output lacks %q:\n%s", want, apply.stderr)
		}
	}
	inst, _ := readState(t, dir).FindRender("render.hero")
	if inst == nil || inst.Status != state.StatusFailed || len(inst.Outputs) != 0 {
		t.Errorf("failed render in state: %+v", inst)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "out", "hero", "*", "*"))
	if len(files) != 0 {
		t.Errorf("a failed render left files: %v", files)
	}
}

func TestBadInputErrors(t *testing.T) {
	t.Run("unreachable server names URL and provider", func(t *testing.T) {
		dir := copyExample(t, "quickstart")
		res := run(t, dir, []string{"COMFYHCL_VAR_server_url=http://127.0.0.1:1"}, "plan")
		if res.code != 1 || !strings.Contains(res.stderr, "http://127.0.0.1:1") || !strings.Contains(res.stderr, `local`) {
			t.Errorf("exit %d, stderr:\n%s", res.code, res.stderr)
		}
	})
	t.Run("malformed workflow names file and position", func(t *testing.T) {
		srv := startSim(t, comfysim.Faults{})
		dir := copyExample(t, "quickstart")
		os.WriteFile(filepath.Join(dir, "workflows", "txt2img.json"), []byte("{\n  \"3\": {\n    \"class_type\": \"KSampler\",,\n"), 0o644)
		res := run(t, dir, []string{"COMFYHCL_VAR_server_url=" + srv.URL()}, "plan")
		if res.code != 1 || !strings.Contains(res.stderr, "txt2img.json:3:") {
			t.Errorf("exit %d, stderr:\n%s", res.code, res.stderr)
		}
	})
}
