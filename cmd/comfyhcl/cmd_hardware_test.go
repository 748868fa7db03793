package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/comfyhcl/comfyhcl/core/preflight/host/hosttest"
)

// TestHardwareGolden replays the recorded hosts of core/preflight/host/testdata through
// the command, human and -json.
func TestHardwareGolden(t *testing.T) {
	tests := []struct {
		fixture, workspace string
		torch              bool
	}{
		{"linux-nvidia-cpu-torch", "/data/comfy/ComfyUI", true},
		{"linux-nvidia-multi", "/data/comfy/ComfyUI", false},
		{"linux-amd-rocm", "/data/comfy/ComfyUI", false},
		{"mac-m2-pro", "/Users/ana/Documents/comfy/ComfyUI", false},
		{"mac-rosetta", "/Users/ana/Documents/comfy/ComfyUI", false},
		{"wsl2-nvidia", "/home/ana/comfy/ComfyUI", false},
		{"nvidia-driver-broken", "/srv/comfy/ComfyUI", false},
		{"cpu-only", "/home/ci/comfy/ComfyUI", false},
		{"windows-amd", `C:\Users\ana\Documents\comfy\ComfyUI`, false},
	}
	saved := hardwareOptions
	t.Cleanup(func() { hardwareOptions = saved })
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			dir := filepath.Join("..", "..", "core", "preflight", "host", "testdata", tc.fixture)
			hardwareOptions = func(ws string) host.Options {
				o, err := hosttest.Load(dir, ws)
				if err != nil {
					t.Fatal(err)
				}
				return o
			}
			args := []string{"-workspace", tc.workspace}
			if tc.torch {
				args = append(args, "-torch")
			}
			stdout, stderr, code := runCmd(t, runHardware, t.TempDir(), args...)
			human := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
			checkGolden(t, filepath.Join("testdata", "hardware", tc.fixture+".human.golden"), []byte(human))
			stdout, _, jcode := runCmd(t, runHardware, t.TempDir(), append(args, "-json")...)
			if jcode != 0 {
				t.Errorf("-json exit %d", jcode)
			}
			var rep hardwareReport
			if err := json.Unmarshal([]byte(stdout), &rep); err != nil {
				t.Fatalf("-json output is not JSON: %v\n%s", err, stdout)
			}
			checkGolden(t, filepath.Join("testdata", "hardware", tc.fixture+".json.golden"), []byte(stdout))
		})
	}
}

// TestHardwareRealHost runs the real probes: whatever the machine, a report and exit 0.
func TestHardwareRealHost(t *testing.T) {
	stdout, stderr, code := runCmd(t, runHardware, t.TempDir(), "-json", "-workspace", t.TempDir())
	var rep hardwareReport
	if code != 0 || json.Unmarshal([]byte(stdout), &rep) != nil || rep.Verdict.Level == "" {
		t.Fatalf("exit %d\n%s\n%s", code, stdout, stderr)
	}
}

func TestHardwareBadArgs(t *testing.T) {
	if _, stderr, code := runCmd(t, runHardware, t.TempDir(), "extra"); code != exitError || stderr == "" {
		t.Errorf("exit %d, stderr %q", code, stderr)
	}
}
