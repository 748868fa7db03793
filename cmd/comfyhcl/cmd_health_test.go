package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/providers/local/launch"
)

// healthSandbox is an environment whose PATH holds only a fake comfy (when withComfy)
// and whose HOME is empty, so the comfy-cli check sees exactly what the test set up.
func healthSandbox(t *testing.T, withComfy bool) (env []string, dir string) {
	t.Helper()
	dir = t.TempDir()
	bin := filepath.Join(dir, "bin")
	if err := os.MkdirAll(bin, 0o755); err != nil {
		t.Fatal(err)
	}
	if withComfy {
		if err := os.WriteFile(filepath.Join(bin, "comfy"), []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	return []string{"PATH=" + bin, "HOME=" + filepath.Join(dir, "home")}, dir
}

// healthStartSim runs a simulator whose model folders are the subdirectories of a
// fresh dir (checkpoints/ present and empty when emptyCheckpoints).
func healthStartSim(t *testing.T, faults comfysim.Faults, emptyCheckpoints bool) *comfysim.Server {
	t.Helper()
	opts := comfysim.Options{Faults: faults}
	if emptyCheckpoints {
		opts.ModelsDir = t.TempDir()
		if err := os.MkdirAll(filepath.Join(opts.ModelsDir, "checkpoints"), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	srv, err := comfysim.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Start("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return srv
}

var (
	healthPortRE    = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	healthClassesRE = regexp.MustCompile(`\d+ node classes`) // the simulator's catalogue grows
)

func normalizeHealth(s, sandbox string) string {
	s = strings.ReplaceAll(s, sandbox, "$SANDBOX")
	s = healthClassesRE.ReplaceAllString(s, "N node classes")
	return healthPortRE.ReplaceAllString(s, "127.0.0.1:PORT")
}

func healthClosedPortURL(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + ln.Addr().String()
	ln.Close()
	return url
}

func TestHealthGolden(t *testing.T) {
	tests := []struct {
		name             string
		server           bool
		emptyCheckpoints bool
		comfy            bool
		code             int
	}{
		{name: "healthy", server: true, comfy: true, code: 0},
		{name: "no-checkpoints", server: true, emptyCheckpoints: true, code: 0},
		{name: "unreachable", code: 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			env, sandbox := healthSandbox(t, tc.comfy)
			url := healthClosedPortURL(t)
			if tc.server {
				url = healthStartSim(t, comfysim.Faults{}, tc.emptyCheckpoints).URL()
			}
			res := run(t, sandbox, env, "health", "-url", url)
			if res.code != tc.code {
				t.Errorf("exit %d, want %d\n%s\n%s", res.code, tc.code, res.stdout, res.stderr)
			}
			human := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", res.code, res.stdout, res.stderr)
			checkGolden(t, filepath.Join("testdata", "health", tc.name+".human.golden"), []byte(normalizeHealth(human, sandbox)))
			jres := run(t, sandbox, env, "health", "-url", url, "-json")
			var rep healthReport
			if err := json.Unmarshal([]byte(jres.stdout), &rep); err != nil || jres.code != tc.code || rep.OK != (tc.code == 0) {
				t.Fatalf("-json: exit %d, ok %v, err %v\n%s", jres.code, rep.OK, err, jres.stdout)
			}
			checkGolden(t, filepath.Join("testdata", "health", tc.name+".json.golden"), []byte(normalizeHealth(jres.stdout, sandbox)))
		})
	}
}

// TestHealthSmokeCancels makes the smoke job's blur slow (10 s on the simulator) so the
// cancel always lands while it runs: the job must end interrupted, the check ok.
func TestHealthSmokeCancels(t *testing.T) {
	srv := healthStartSim(t, comfysim.Faults{StepDelay: 1e9}, false)
	env, sandbox := healthSandbox(t, true)
	res := run(t, sandbox, env, "health", "-url", srv.URL(), "-smoke", "-json")
	var rep healthReport
	if err := json.Unmarshal([]byte(res.stdout), &rep); err != nil || res.code != 0 {
		t.Fatalf("exit %d: %v\n%s\n%s", res.code, err, res.stdout, res.stderr)
	}
	smoke := rep.Checks[len(rep.Checks)-1]
	if smoke.Name != "smoke" || smoke.Status != healthOK || !strings.Contains(smoke.Detail, "was cancelled") {
		t.Errorf("smoke check: %+v", smoke)
	}
}

// TestHealthSmokeFails: a server whose nodes raise makes the smoke check fail, exit 1.
func TestHealthSmokeFails(t *testing.T) {
	srv := healthStartSim(t, comfysim.Faults{FailClass: "EmptyImage"}, false)
	env, sandbox := healthSandbox(t, true)
	res := run(t, sandbox, env, "health", "-url", srv.URL(), "-smoke")
	if res.code != 1 || !strings.Contains(res.stdout, "fail  smoke") || !strings.Contains(res.stdout, "EmptyImage") {
		t.Errorf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestHealthSmokeSkippedWhenBusy: with a job running, the smoke test would queue behind
// it, so it is skipped with a warning (exit 0) and the queue line says what runs.
func TestHealthSmokeSkippedWhenBusy(t *testing.T) {
	srv := healthStartSim(t, comfysim.Faults{StepDelay: 10 * time.Second}, false)
	body := `{"prompt": ` + string(smokeGraph(true)) + `}`
	resp, err := http.Post(srv.URL()+"/prompt", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	t.Cleanup(func() {
		if r, err := http.Post(srv.URL()+"/interrupt", "application/json", strings.NewReader("{}")); err == nil {
			r.Body.Close()
		}
	})
	env, sandbox := healthSandbox(t, true)
	res := run(t, sandbox, env, "health", "-url", srv.URL(), "-smoke")
	if res.code != 0 || !strings.Contains(res.stdout, "warn  smoke        skipped: the server is busy with 1 job(s)") ||
		!strings.Contains(res.stdout, "1 running, 0 pending") {
		t.Errorf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}

// TestHealthNamesTheLaunchRecord: when the server setup launched is down, the fix points
// at its log and at setup.
func TestHealthNamesTheLaunchRecord(t *testing.T) {
	env, sandbox := healthSandbox(t, false)
	url := healthClosedPortURL(t)
	ws := filepath.Join(sandbox, "ws")
	if err := os.MkdirAll(ws, 0o755); err != nil {
		t.Fatal(err)
	}
	rec := &launch.Record{PID: 0, URL: url, Workspace: ws, LogPath: filepath.Join(ws, "user", "comfyhcl-1.log")}
	if err := rec.Save(); err != nil {
		t.Fatal(err)
	}
	res := run(t, sandbox, env, "health", "-url", url, "-workspace", ws)
	if res.code != 1 || !strings.Contains(res.stdout, "its process is gone: read the end of "+rec.LogPath) {
		t.Errorf("exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
}
