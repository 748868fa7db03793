package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"github.com/comfyhcl/comfyhcl/providers/local/launch/launchtest"
)

// setupSandbox has fake installers and comfy-cli on PATH and a temp HOME; `comfy launch`
// runs the real simulator through the built binary.
func setupSandbox(t *testing.T, tools ...string) (*launchtest.Fakes, int) {
	t.Helper()
	f := launchtest.New(t)
	f.ServerCmd = binPath + " sim -listen"
	f.Write(t, tools...)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	return f, port
}

func setupArgs(f *launchtest.Fakes, port int, extra ...string) []string {
	return append([]string{"setup", "-workspace", filepath.Join(f.Home, "comfy", "ComfyUI"), "-port", strconv.Itoa(port),
		"-gpu", "cpu", "-timeout", "2m"}, extra...)
}

// stopLaunched stops the server a setup launched when the test ends.
func stopLaunched(t *testing.T, f *launchtest.Fakes) {
	t.Cleanup(func() {
		rec, err := launch.LoadRecord(filepath.Join(f.Home, "comfy", "ComfyUI"))
		if err == nil && rec != nil {
			if err := launch.Stop(rec); err != nil {
				t.Error(err)
			}
		}
	})
}

var (
	setupPidRE     = regexp.MustCompile(`(pid |"pid": |kill -TERM -)\d+`)
	setupStartedRE = regexp.MustCompile(`"started_at": "[^"]+"`)
	// process_start exists only where /proc does: dropped so the goldens hold on macOS.
	setupProcStartRE = regexp.MustCompile(`,\n\s*"process_start": "[^"]+"`)
)

func normalizeSetup(s string, f *launchtest.Fakes, port int) string {
	s = strings.ReplaceAll(s, f.Dir, "$SANDBOX")
	s = strings.ReplaceAll(s, binPath, "$COMFYHCL")
	s = setupPidRE.ReplaceAllString(s, "${1}PID")
	s = setupStartedRE.ReplaceAllString(s, `"started_at": "TIME"`)
	s = setupProcStartRE.ReplaceAllString(s, "")
	return strings.ReplaceAll(s, strconv.Itoa(port), "PORT")
}

func TestSetupGolden(t *testing.T) {
	for _, mode := range []string{"human", "json"} {
		t.Run(mode, func(t *testing.T) {
			f, port := setupSandbox(t, launchtest.Pipx, launchtest.Uvx)
			stopLaunched(t, f)
			var extra []string
			if mode == "json" {
				extra = []string{"-json"}
			}
			for _, step := range []string{"fresh", "again"} {
				res := run(t, f.Dir, f.Env(), setupArgs(f, port, extra...)...)
				if res.code != 0 {
					t.Fatalf("%s: exit %d\n%s\n%s", step, res.code, res.stdout, res.stderr)
				}
				out := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", res.code, res.stdout, res.stderr)
				checkGolden(t, filepath.Join("testdata", "setup", step+"."+mode+".golden"), []byte(normalizeSetup(out, f, port)))
			}
			calls := strings.Join(f.Calls(t), "\n")
			checkGolden(t, filepath.Join("testdata", "setup", "calls."+mode+".golden"), []byte(normalizeSetup(calls+"\n", f, port)))
			if strings.Contains(calls, "uvx") {
				t.Error("uvx was tried although pipx worked")
			}
		})
	}
}

func TestSetupJSONRecord(t *testing.T) {
	f, port := setupSandbox(t, launchtest.Python3)
	f.PEP668 = true
	stopLaunched(t, f)
	res := run(t, f.Dir, f.Env(), setupArgs(f, port, "-json")...)
	var doc struct {
		Server   string
		URL      string
		ComfyCLI launch.CLI `json:"comfy_cli"`
		Record   launch.Record
	}
	if err := json.Unmarshal([]byte(res.stdout), &doc); err != nil || res.code != 0 {
		t.Fatalf("exit %d: %v\n%s\n%s", res.code, err, res.stdout, res.stderr)
	}
	if doc.Server != "launched" || doc.ComfyCLI.Via != "pip --break-system-packages" || doc.Record.Port != port || doc.Record.PID == 0 {
		t.Errorf("result %+v", doc)
	}
	health := run(t, f.Dir, f.Env(), "health", "-url", doc.URL, "-smoke")
	if health.code != 0 || !strings.Contains(health.stdout, "ok    smoke") {
		t.Errorf("health of the launched server: exit %d\n%s", health.code, health.stdout)
	}
}

func TestSetupServerCrashes(t *testing.T) {
	f, port := setupSandbox(t, launchtest.Comfy)
	f.LaunchMode = "crash"
	res := run(t, f.Dir, f.Env(), setupArgs(f, port)...)
	if res.code != exitError || !strings.Contains(res.stderr, "address already in use") || !strings.Contains(res.stderr, "comfyhcl-"+strconv.Itoa(port)+".log") {
		t.Errorf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestSetupInterrupted sends SIGINT while setup waits for a server that never answers:
// exit 130, the launched process gone, no record.
func TestSetupInterrupted(t *testing.T) {
	f, port := setupSandbox(t, launchtest.Comfy)
	f.LaunchMode = "hang"
	cmd := exec.Command(binPath, setupArgs(f, port)...)
	cmd.Dir, cmd.Env = f.Dir, append(os.Environ(), f.Env()...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 4000 && len(f.Launched(t)) == 0; i++ {
		time.Sleep(5 * time.Millisecond)
	}
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		t.Fatal(err)
	}
	err := cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitInterrupted {
		t.Fatalf("setup: %v, want exit 130\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "nothing is left running") {
		t.Errorf("output:\n%s", out.String())
	}
	for _, pid := range f.Launched(t) {
		if setupProcRunning(pid) {
			syscall.Kill(-pid, syscall.SIGKILL)
			t.Errorf("launched pid %d survived the interrupt", pid)
		}
	}
	if _, err := os.Stat(launch.RecordPath(filepath.Join(f.Home, "comfy", "ComfyUI"))); !os.IsNotExist(err) {
		t.Errorf("record left behind: %v", err)
	}
}

func TestSetupStop(t *testing.T) {
	f, port := setupSandbox(t, launchtest.Comfy)
	stopLaunched(t, f)
	if res := run(t, f.Dir, f.Env(), setupArgs(f, port)...); res.code != 0 {
		t.Fatalf("setup: exit %d\n%s", res.code, res.stderr)
	}
	ws := filepath.Join(f.Home, "comfy", "ComfyUI")
	rec, err := launch.LoadRecord(ws)
	if err != nil || rec == nil {
		t.Fatalf("record %v, %v", rec, err)
	}
	res := run(t, f.Dir, f.Env(), "setup", "-stop", "-workspace", ws)
	if res.code != 0 || !strings.Contains(res.stdout, "stopped") || setupProcRunning(rec.PID) {
		t.Errorf("setup -stop: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if res := run(t, f.Dir, f.Env(), "setup", "-stop", "-workspace", ws); res.code != 0 || !strings.Contains(res.stdout, "nothing to stop") {
		t.Errorf("second -stop: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

func TestSetupLoopback(t *testing.T) {
	for listen, want := range map[string]bool{"127.0.0.1": true, "localhost": true, "::1": true, "[::1]": true,
		"0.0.0.0": false, "0.0.0.0,::": false, "192.168.1.5": false, "": true} {
		if got := setupLoopback(listen); got != want {
			t.Errorf("setupLoopback(%q) = %v", listen, got)
		}
	}
}

func TestSetupBadArgs(t *testing.T) {
	for _, args := range [][]string{{"-port", "70000", "-gpu", "cpu"}, {"extra"}} {
		if _, stderr, code := runCmd(t, runSetup, t.TempDir(), args...); code != exitError || stderr == "" {
			t.Errorf("%v: exit %d, stderr %q", args, code, stderr)
		}
	}
}

// setupProcRunning reports whether pid exists and is not a zombie.
func setupProcRunning(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	i := bytes.LastIndexByte(stat, ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}
