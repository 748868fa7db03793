package host

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// pciVendorIDs names the vendors that matter for ComfyUI when no PCI ID database is
// installed (ghw then cannot name any device).
var pciVendorIDs = map[string]string{
	"0x10de": "NVIDIA Corporation",
	"0x1002": "Advanced Micro Devices, Inc. [AMD/ATI]",
	"0x8086": "Intel Corporation",
	"0x106b": "Apple Inc.",
	"0x1af4": "Red Hat, Inc. (virtio)",
	"0x1234": "QEMU",
	"0x15ad": "VMware",
	"0x1414": "Microsoft Corporation",
}

// ScanSysfsGPUs lists display controllers (PCI class 0x03xxxx) under root (normally
// /sys/bus/pci/devices) from their raw ids: the fallback when ghw has no PCI database.
func ScanSysfsGPUs(root string) []PCIGPU {
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil
	}
	var out []PCIGPU
	for _, e := range entries {
		dir := filepath.Join(root, e.Name())
		class := readTrim(filepath.Join(dir, "class"))
		if !strings.HasPrefix(class, "0x03") {
			continue
		}
		vendorID := strings.ToLower(readTrim(filepath.Join(dir, "vendor")))
		vendor, ok := pciVendorIDs[vendorID]
		if !ok {
			vendor = "vendor " + vendorID
		}
		g := PCIGPU{Address: e.Name(), Vendor: vendor, Product: "device " + readTrim(filepath.Join(dir, "device"))}
		if link, err := os.Readlink(filepath.Join(dir, "driver")); err == nil {
			g.Driver = filepath.Base(link)
		}
		out = append(out, g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Address < out[j].Address })
	return out
}

func readTrim(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(data))
}
