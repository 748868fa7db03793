package host_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/comfyhcl/comfyhcl/core/preflight/host/hosttest"
)

func TestCollectRecordedHosts(t *testing.T) {
	tests := []struct {
		fixture   string
		workspace string
		best      string // name of the chosen GPU, "" for none
		level     host.Level
		reason    string // substring of the verdict's reasons
		wsl2      bool
		apple     string
		tools     map[string]bool // tool -> found
		torch     bool
	}{
		{fixture: "linux-nvidia-cpu-torch", best: "NVIDIA RTX A4000", level: host.Marginal, reason: "cannot use CUDA", torch: true,
			tools: map[string]bool{"python3": true}},
		{fixture: "linux-nvidia-multi", workspace: "/data/comfy", best: "NVIDIA GeForce RTX 4090", level: host.LocalOK,
			reason: "--cuda-device 1", tools: map[string]bool{"nvidia-smi": true, "rocm-smi": false}},
		{fixture: "linux-amd-rocm", best: "Navi 31 [Radeon RX 7900 XT/7900 XTX]", level: host.LocalOK,
			reason: "enough for SDXL", tools: map[string]bool{"nvidia-smi": false, "rocm-smi": true}},
		{fixture: "mac-m2-pro", best: "Apple M2 Pro GPU", level: host.LocalOK, reason: "unified memory", apple: "M2 Pro",
			tools: map[string]bool{"sysctl": true}},
		{fixture: "mac-rosetta", best: "Apple Silicon (model hidden by Rosetta) GPU", level: host.UseCloud, reason: "Rosetta",
			apple: "Apple Silicon (model hidden by Rosetta)"},
		{fixture: "wsl2-nvidia", best: "NVIDIA GeForce RTX 4060 Laptop GPU", level: host.Marginal, reason: "WSL2", wsl2: true},
		{fixture: "nvidia-driver-broken", best: "NVIDIA Corporation GA102GL [RTX A6000]", level: host.UseCloud,
			reason: "nvidia-smi fails", tools: map[string]bool{"nvidia-smi": true}},
		{fixture: "windows-amd", best: "AMD Radeon RX 7900 XTX", level: host.Marginal, reason: "ROCm on Linux only",
			tools: map[string]bool{"powershell": true, "nvidia-smi": false}},
		{fixture: "cpu-only", workspace: "/home/ci/comfy/ComfyUI", level: host.UseCloud, reason: "only 10 GiB free at /home/ci"},
	}
	for _, tc := range tests {
		t.Run(tc.fixture, func(t *testing.T) {
			opts, err := hosttest.Load(filepath.Join("testdata", tc.fixture), tc.workspace)
			if err != nil {
				t.Fatal(err)
			}
			opts.ProbeTorch = tc.torch
			f := host.Collect(context.Background(), opts)
			got := ""
			if g := f.BestGPU(); g != nil {
				got = g.Name
			}
			if got != tc.best {
				t.Errorf("best GPU = %q, want %q (gpus %+v)", got, tc.best, f.GPUs)
			}
			v := host.Judge(f, host.Requirements{})
			if v.Level != tc.level {
				t.Errorf("level = %q, want %q (%v)", v.Level, tc.level, v.Reasons)
			}
			if !strings.Contains(strings.Join(v.Reasons, "\n"), tc.reason) {
				t.Errorf("reasons %q lack %q", v.Reasons, tc.reason)
			}
			if f.WSL2 != tc.wsl2 {
				t.Errorf("WSL2 = %v", f.WSL2)
			}
			chip := ""
			if f.Apple != nil {
				chip = f.Apple.Chip
			}
			if chip != tc.apple {
				t.Errorf("apple chip = %q, want %q", chip, tc.apple)
			}
			for name, found := range tc.tools {
				if f.Tool(name).Found != found {
					t.Errorf("tool %s found = %v, want %v", name, !found, found)
				}
			}
			if tc.workspace != "" && f.DiskFree == nil {
				t.Errorf("no free disk measured at %s (notes %v)", tc.workspace, f.Notes)
			}
		})
	}
}

func TestJudgeRequirements(t *testing.T) {
	f := host.Facts{OS: "linux", Best: 0, GPUs: []host.GPU{{Vendor: host.VendorNVIDIA, Name: "RTX 3060", VRAMTotalB: 12 << 30, Source: "nvidia-smi"}}}
	tests := []struct {
		req  host.Requirements
		want host.Level
	}{
		{host.Requirements{}, host.LocalOK},
		{host.Requirements{VRAMB: 24 << 30, MinVRAMB: 8 << 30}, host.Marginal},
		{host.Requirements{VRAMB: 48 << 30, MinVRAMB: 24 << 30}, host.UseCloud},
	}
	for _, tc := range tests {
		if got := host.Judge(f, tc.req).Level; got != tc.want {
			t.Errorf("Judge(%+v) = %q, want %q", tc.req, got, tc.want)
		}
	}
}

func TestPickBest(t *testing.T) {
	tests := []struct {
		name string
		gpus []host.GPU
		want int
	}{
		{"none", nil, -1},
		{"most vram", []host.GPU{{Vendor: "nvidia", VRAMTotalB: 8}, {Vendor: "nvidia", VRAMTotalB: 24}}, 1},
		{"known beats unknown", []host.GPU{{Vendor: "nvidia"}, {Vendor: "amd", VRAMTotalB: 16}}, 1},
		{"cuda over rocm", []host.GPU{{Vendor: "amd", VRAMTotalB: 24}, {Vendor: "nvidia", VRAMTotalB: 16}}, 1},
		{"free breaks ties", []host.GPU{{Vendor: "nvidia", VRAMTotalB: 24, VRAMFreeB: 1}, {Vendor: "nvidia", VRAMTotalB: 24, VRAMFreeB: 20}}, 1},
		{"first of equals", []host.GPU{{Vendor: "nvidia", VRAMTotalB: 24}, {Vendor: "nvidia", VRAMTotalB: 24}}, 0},
	}
	for _, tc := range tests {
		if got := host.PickBest(tc.gpus); got != tc.want {
			t.Errorf("%s: PickBest = %d, want %d", tc.name, got, tc.want)
		}
	}
}

// TestCollectRealHost only checks that the real probes never fail the caller.
func TestCollectRealHost(t *testing.T) {
	f := host.Collect(context.Background(), host.Options{Workspace: t.TempDir()})
	if f.OS == "" || f.DiskFree == nil {
		t.Errorf("facts: %+v", f)
	}
}
