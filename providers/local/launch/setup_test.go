package launch_test

import (
	"context"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"github.com/comfyhcl/comfyhcl/providers/local/launch/launchtest"
)

// freePort returns a loopback port nothing listens on (the usual small race is fine:
// the launched server fails loudly if it lost it).
func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

func sandbox(t *testing.T) *launchtest.Fakes {
	f := launchtest.New(t)
	f.ServerCmd = os.Args[0]
	return f
}

func options(t *testing.T, f *launchtest.Fakes) launch.Options {
	return launch.Options{Workspace: filepath.Join(f.Home, "comfy", "ComfyUI"), Listen: "127.0.0.1", Port: freePort(t),
		Timeout: time.Minute, Env: append(f.Env(), "LAUNCH_FAKE_SERVE=1")}
}

// stopAfter stops the recorded server when the test ends.
func stopAfter(t *testing.T, res *launch.Result) {
	t.Cleanup(func() {
		if res != nil && res.Record != nil {
			if err := launch.Stop(res.Record); err != nil {
				t.Error(err)
			}
		}
	})
}

func TestSetupInstallers(t *testing.T) {
	tests := []struct {
		name   string
		tools  []string
		fail   []string
		pep668 bool
		via    string
		calls  []string // prefixes of the recorded calls before `comfy ... install`
	}{
		{name: "comfy already installed", tools: []string{launchtest.Comfy, launchtest.Pipx}, via: "found"},
		{name: "pipx first", tools: []string{launchtest.Pipx, launchtest.Uvx, launchtest.Python3}, via: "pipx",
			calls: []string{"pipx install comfy-cli"}},
		{name: "uvx when pipx fails", tools: []string{launchtest.Pipx, launchtest.Uvx}, fail: []string{"pipx"}, via: "uvx",
			calls: []string{"pipx install comfy-cli", "uvx --from comfy-cli comfy --help", "comfy --help"}},
		{name: "pip --user", tools: []string{launchtest.Python3}, via: "pip",
			calls: []string{"python3 -m pip install --user comfy-cli"}},
		{name: "pip when python3 has no pip", tools: []string{launchtest.Python3, launchtest.Pip}, fail: []string{"python3"}, via: "pip",
			calls: []string{"python3 -m pip install --user comfy-cli", "pip install --user comfy-cli"}},
		{name: "pip PEP 668 fallback", tools: []string{launchtest.Pip}, pep668: true, via: "pip --break-system-packages",
			calls: []string{"pip install --user comfy-cli", "pip install --user comfy-cli --break-system-packages"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := sandbox(t)
			f.Write(t, tc.tools...)
			f.Fail, f.PEP668 = tc.fail, tc.pep668
			o := options(t, f)
			o.Env = append(f.Env(), "LAUNCH_FAKE_SERVE=1")
			res, err := launch.Setup(context.Background(), o)
			stopAfter(t, res)
			if err != nil {
				t.Fatal(err)
			}
			if res.CLI == nil || res.CLI.Via != tc.via {
				t.Fatalf("comfy-cli = %+v, want via %q", res.CLI, tc.via)
			}
			calls := f.Calls(t)
			for i, want := range tc.calls {
				if i >= len(calls) || !strings.HasPrefix(calls[i], want) {
					t.Fatalf("call %d: want %q, calls:\n%s", i, want, strings.Join(calls, "\n"))
				}
			}
			ws := o.Workspace
			wantTail := []string{
				"comfy --workspace " + ws + " --skip-prompt install --cpu",
				"comfy --workspace " + ws + " --skip-prompt launch -- --listen 127.0.0.1 --port " + strconv.Itoa(o.Port),
			}
			var comfyCalls []string
			for _, c := range calls {
				if strings.HasPrefix(c, "comfy --workspace") {
					comfyCalls = append(comfyCalls, c)
				}
			}
			if got := comfyCalls; strings.Join(got, "\n") != strings.Join(wantTail, "\n") {
				t.Errorf("comfy calls:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(wantTail, "\n"))
			}
			if res.Server != "launched" || !res.Installed || !launch.Answering(context.Background(), res.URL) {
				t.Errorf("result %+v", res)
			}
			rec, err := launch.LoadRecord(ws)
			if err != nil || rec == nil || rec.PID != res.Record.PID || rec.Port != o.Port || rec.LogPath != launch.LogPath(ws, o.Port) {
				t.Errorf("record %+v, %v", rec, err)
			}
			if data, _ := os.ReadFile(rec.LogPath); !strings.Contains(string(data), "comfyhcl: launching") {
				t.Errorf("log %s lacks the launch header:\n%s", rec.LogPath, data)
			}
		})
	}
}

func TestSetupIdempotent(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Pipx)
	o := options(t, f)
	first, err := launch.Setup(context.Background(), o)
	stopAfter(t, first)
	if err != nil {
		t.Fatal(err)
	}
	before := len(f.Calls(t))
	second, err := launch.Setup(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if second.Server != "already running" || second.Record == nil || second.Record.PID != first.Record.PID {
		t.Errorf("second setup: %+v", second)
	}
	if after := f.Calls(t); len(after) != before {
		t.Errorf("second setup ran tools: %q", after[before:])
	}
}

func TestSetupNoInstaller(t *testing.T) {
	f := sandbox(t)
	_, err := launch.Setup(context.Background(), options(t, f))
	if !errors.Is(err, launch.ErrNoInstaller) {
		t.Fatalf("err = %v", err)
	}
}

func TestSetupAllInstallersFail(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Pipx, launchtest.Uvx, launchtest.Pip)
	f.Fail = []string{"pipx", "uvx", "pip"}
	_, err := launch.Setup(context.Background(), options(t, f))
	if err == nil || !strings.Contains(err.Error(), "every installer failed") || !strings.Contains(err.Error(), "uvx: simulated failure") {
		t.Fatalf("err = %v", err)
	}
}

func TestSetupServerExits(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Comfy)
	f.LaunchMode = "crash"
	o := options(t, f)
	_, err := launch.Setup(context.Background(), o)
	if !errors.Is(err, launch.ErrExited) || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("err = %v", err)
	}
	if rec, _ := launch.LoadRecord(o.Workspace); rec != nil {
		t.Errorf("a failed launch left a record: %+v", rec)
	}
}

// TestSetupOtherPortOfSameWorkspace refuses to launch a twin from a workspace whose
// recorded server answers on another port (the record would be lost).
func TestSetupOtherPortOfSameWorkspace(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Comfy)
	o := options(t, f)
	res, err := launch.Setup(context.Background(), o)
	stopAfter(t, res)
	if err != nil {
		t.Fatal(err)
	}
	if res.Record.ProcessStart == nil {
		t.Error("no process start time recorded")
	}
	o.Port = freePort(t)
	_, err = launch.Setup(context.Background(), o)
	if err == nil || !strings.Contains(err.Error(), "setup -stop") {
		t.Fatalf("err = %v", err)
	}
}
