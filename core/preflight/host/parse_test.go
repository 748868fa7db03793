package host_test

import (
	"testing"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/google/go-cmp/cmp"
)

func TestParseNvidiaSMI(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []host.GPU
		wantErr bool
	}{
		{name: "empty", in: ""},
		{name: "one", in: "NVIDIA GeForce RTX 4090, 24564, 23987, 550.54.14\n",
			want: []host.GPU{{Index: 0, Vendor: "nvidia", Name: "NVIDIA GeForce RTX 4090", VRAMTotalB: 24564 << 20, VRAMFreeB: 23987 << 20, Driver: "550.54.14", Source: "nvidia-smi"}}},
		{name: "not supported memory", in: "NVIDIA GH200 480GB, [N/A], [N/A], 550.90.07\nTesla T4, 15360, [Not Supported], [N/A]\n",
			want: []host.GPU{
				{Index: 0, Vendor: "nvidia", Name: "NVIDIA GH200 480GB", Driver: "550.90.07", Source: "nvidia-smi"},
				{Index: 1, Vendor: "nvidia", Name: "Tesla T4", VRAMTotalB: 15360 << 20, Source: "nvidia-smi"}}},
		{name: "too few fields", in: "NVIDIA GeForce RTX 4090, 24564\n", wantErr: true},
	}
	for _, tc := range tests {
		got, err := host.ParseNvidiaSMI([]byte(tc.in))
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
}

func TestParseRocmSMI(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    []host.GPU
		wantErr bool
	}{
		{name: "model only", in: `{"card0": {"Card series": "0x73bf", "Card model": "Radeon RX 6800 XT", "VRAM Total Memory (B)": "17163091968", "VRAM Total Used Memory (B)": "17163091968"}}`,
			want: []host.GPU{{Index: 0, Vendor: "amd", Name: "Radeon RX 6800 XT", VRAMTotalB: 17163091968, Source: "rocm-smi"}}},
		{name: "no memory", in: `{"card2": {"Card series": "Instinct MI300X"}}`,
			want: []host.GPU{{Index: 2, Vendor: "amd", Name: "Instinct MI300X", Source: "rocm-smi"}}},
		{name: "not json", in: "ERROR: GPU[0] : Unable to read", wantErr: true},
	}
	for _, tc := range tests {
		got, err := host.ParseRocmSMI([]byte(tc.in))
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: err = %v", tc.name, err)
		}
		if diff := cmp.Diff(tc.want, got); diff != "" {
			t.Errorf("%s: (-want +got)\n%s", tc.name, diff)
		}
	}
}

func TestParseApple(t *testing.T) {
	tests := []struct {
		brand, chip string
		ok          bool
	}{
		{"Apple M1", "M1", true},
		{"Apple M2 Pro", "M2 Pro", true},
		{"Apple M3 Max\n", "M3 Max", true},
		{"Apple M2 Ultra", "M2 Ultra", true},
		{"Apple M4", "M4", true},
		{"VirtualApple @ 2.50GHz processor", "Apple Silicon (model hidden by Rosetta)", true},
		{"Intel(R) Core(TM) i9-9980HK CPU @ 2.40GHz", "", false},
	}
	for _, tc := range tests {
		chip, ok := host.ParseAppleBrand(tc.brand)
		if chip != tc.chip || ok != tc.ok {
			t.Errorf("ParseAppleBrand(%q) = %q, %v", tc.brand, chip, ok)
		}
	}
	if !host.ParseTranslated("1\n") || host.ParseTranslated("0") || host.ParseTranslated("") {
		t.Error("ParseTranslated")
	}
}

func TestIsWSL2(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	tests := []struct {
		version string
		env     map[string]string
		want    bool
	}{
		{"Linux version 5.15.153.1-microsoft-standard-WSL2 (root@x)", nil, true},
		{"Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com)", nil, false},
		{"Linux version 6.8.0-45-generic", map[string]string{"WSL_DISTRO_NAME": "Ubuntu", "WSL_INTEROP": "/run/WSL/1"}, true},
		{"Linux version 6.8.0-45-generic", map[string]string{"WSL_DISTRO_NAME": "Ubuntu"}, false},
	}
	for _, tc := range tests {
		if got := host.IsWSL2(tc.version, env(tc.env)); got != tc.want {
			t.Errorf("IsWSL2(%q, %v) = %v", tc.version, tc.env, got)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1 << 30: "1 GiB", 24564 << 20: "24 GiB", 12884901888 + 1<<29: "12.5 GiB"} {
		if got := host.Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestParseTorchProbe(t *testing.T) {
	tests := []struct {
		in      string
		want    host.Torch
		wantErr bool
	}{
		{in: `{"version": "2.8.0+cu128", "cuda": true, "rocm": false, "devices": 2, "mps": false}`,
			want: host.Torch{Version: "2.8.0+cu128", CUDA: true, Devices: 2}},
		{in: "some warning\n{\"error\": \"ModuleNotFoundError: No module named 'torch'\"}\n",
			want: host.Torch{Error: "ModuleNotFoundError: No module named 'torch'"}},
		{in: "Traceback (most recent call last):", wantErr: true},
	}
	for _, tc := range tests {
		got, err := host.ParseTorchProbe([]byte(tc.in))
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: err = %v", tc.in, err)
		}
		if !tc.wantErr && got != tc.want {
			t.Errorf("%q: got %+v, want %+v", tc.in, got, tc.want)
		}
	}
}

func TestParseVideoControllers(t *testing.T) {
	one := `{"Name": "NVIDIA GeForce RTX 3060", "AdapterRAM": 4293918720, "DriverVersion": "32.0.15.6094", "PNPDeviceID": "PCI\\VEN_10DE&DEV_2504"}`
	got, err := host.ParseVideoControllers([]byte(one))
	want := []host.GPU{{Vendor: "nvidia", Name: "NVIDIA GeForce RTX 3060", VRAMTotalB: 4 << 30, VRAMAtLeast: true, Driver: "32.0.15.6094", Source: "powershell"}}
	if err != nil || !cmp.Equal(want, got) {
		t.Errorf("one controller: %v, %s", err, cmp.Diff(want, got))
	}
	if _, err := host.ParseVideoControllers([]byte("Get-CimInstance : Access denied")); err == nil {
		t.Error("garbage parsed")
	}
	if got, err := host.ParseVideoControllers(nil); err != nil || got != nil {
		t.Errorf("empty: %v, %v", got, err)
	}
}
