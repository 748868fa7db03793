package host_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/google/go-cmp/cmp"
)

func TestScanSysfsGPUs(t *testing.T) {
	root := t.TempDir()
	dev := func(addr, class, vendor, device, driver string) {
		dir := filepath.Join(root, addr)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, v := range map[string]string{"class": class, "vendor": vendor, "device": device} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(v+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if driver != "" {
			if err := os.Symlink(filepath.Join("..", "..", "drivers", driver), filepath.Join(dir, "driver")); err != nil {
				t.Fatal(err)
			}
		}
	}
	dev("0000:01:00.0", "0x030000", "0x10de", "0x2684", "nvidia")
	dev("0000:00:1f.3", "0x040300", "0x8086", "0x7a50", "snd_hda_intel") // audio: not a GPU
	dev("0000:03:00.0", "0x038000", "0x1002", "0x744c", "")
	got := host.ScanSysfsGPUs(root)
	want := []host.PCIGPU{
		{Address: "0000:01:00.0", Vendor: "NVIDIA Corporation", Product: "device 0x2684", Driver: "nvidia"},
		{Address: "0000:03:00.0", Vendor: "Advanced Micro Devices, Inc. [AMD/ATI]", Product: "device 0x744c"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got)\n%s", diff)
	}
	if host.ScanSysfsGPUs(filepath.Join(root, "missing")) != nil {
		t.Error("a missing root should yield nothing")
	}
}
