package launchtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// Fakes is a sandbox: Bin (first and only tool dir on PATH besides Sys), Home (HOME), Log
// (one line per fake call: "tool args...").
type Fakes struct {
	Dir, Bin, Sys, Home, Log string
	// ServerCmd is exec'ed by `comfy launch` with "LISTEN:PORT" appended.
	ServerCmd string
	// Mode of `comfy launch`: "" (serve), "hang" (never answers), "crash" (exits 1).
	LaunchMode string
	// Fail lists fakes that exit 1 (e.g. "pipx", "uvx", or "comfy-install" for a clone
	// that fails half-way); PEP668 makes pip refuse without --break-system-packages.
	Fail   []string
	PEP668 bool
	// Hang lists fakes that never finish, their pids going to Hung ("comfy-install":
	// the install hangs after creating the workspace).
	Hang []string
}

// Tools that a fake may be: Write installs the ones named.
const (
	Pipx    = "pipx"
	Uvx     = "uvx"
	Python3 = "python3"
	Pip     = "pip"
	Comfy   = "comfy" // comfy-cli already installed
)

// New makes the sandbox directories and links the system utilities the scripts need.
func New(t testing.TB) *Fakes {
	t.Helper()
	dir := t.TempDir()
	f := &Fakes{Dir: dir, Bin: filepath.Join(dir, "bin"), Sys: filepath.Join(dir, "sys"),
		Home: filepath.Join(dir, "home"), Log: filepath.Join(dir, "calls.log")}
	for _, d := range []string{f.Bin, f.Sys, f.Home} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, tool := range []string{"sh", "mkdir", "cp", "chmod", "sleep", "cat", "env", "basename"} {
		p, err := exec.LookPath(tool)
		if err != nil {
			t.Fatalf("the fakes need %s: %v", tool, err)
		}
		if err := os.Symlink(p, filepath.Join(f.Sys, tool)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "comfy-template"), []byte(comfyScript), 0o755); err != nil {
		t.Fatal(err)
	}
	return f
}

// Write installs the named fakes into Bin.
func (f *Fakes) Write(t testing.TB, tools ...string) {
	t.Helper()
	for _, tool := range tools {
		var body string
		switch tool {
		case Pipx:
			body = pipxScript
		case Uvx:
			body = uvxScript
		case Python3, Pip:
			body = pipScript
		case Comfy:
			body = comfyScript
		default:
			t.Fatalf("no fake for %s", tool)
		}
		if err := os.WriteFile(filepath.Join(f.Bin, tool), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

// Env is the environment for the code under test: PATH, HOME and the fakes' knobs.
func (f *Fakes) Env() []string {
	env := []string{
		"PATH=" + f.Bin + string(os.PathListSeparator) + f.Sys,
		"HOME=" + f.Home,
		"FAKE_LOG=" + f.Log,
		"FAKE_COMFY_TEMPLATE=" + filepath.Join(f.Dir, "comfy-template"),
		"FAKE_SERVER_CMD=" + f.ServerCmd,
		"FAKE_LAUNCH_MODE=" + f.LaunchMode,
		"FAKE_FAIL= " + strings.Join(f.Fail, " ") + " ",
		"FAKE_HANG= " + strings.Join(f.Hang, " ") + " ",
	}
	if f.PEP668 {
		env = append(env, "FAKE_PEP668=1")
	}
	return env
}

// Calls returns the recorded calls, one "tool args..." per element.
func (f *Fakes) Calls(t testing.TB) []string {
	t.Helper()
	data, err := os.ReadFile(f.Log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimRight(string(data), "\n"), "\n")
}

// Launched returns the pids `comfy launch` ran as (each then exec'ed the server).
func (f *Fakes) Launched(t testing.TB) []int { return f.pids(t, ".launched") }

// Hung returns the pids of the fakes that hang.
func (f *Fakes) Hung(t testing.TB) []int { return f.pids(t, ".hung") }

func (f *Fakes) pids(t testing.TB, suffix string) []int {
	t.Helper()
	data, err := os.ReadFile(f.Log + suffix)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, s := range strings.Fields(string(data)) {
		n, err := strconv.Atoi(s)
		if err != nil {
			t.Fatal(err)
		}
		pids = append(pids, n)
	}
	return pids
}
