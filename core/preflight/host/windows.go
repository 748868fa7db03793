package host

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// powershellArgs lists the video controllers through CIM (wmic is deprecated and absent
// from recent Windows builds).
var powershellArgs = []string{"-NoProfile", "-NonInteractive", "-Command",
	"Get-CimInstance Win32_VideoController | Select-Object Name,AdapterRAM,DriverVersion,PNPDeviceID | ConvertTo-Json"}

// adapterRAMCap is where Win32_VideoController.AdapterRAM (a uint32) saturates: a value
// there means "4 GiB or more", recorded as a lower bound.
const adapterRAMCap = 1<<32 - 1<<20

// ParseVideoControllers reads ConvertTo-Json of Win32_VideoController: one object, or an
// array when there are several.
func ParseVideoControllers(out []byte) ([]GPU, error) {
	out = bytes.TrimSpace(out)
	if len(out) == 0 {
		return nil, nil
	}
	type ctrl struct {
		Name          string
		AdapterRAM    int64
		DriverVersion string
		PNPDeviceID   string
	}
	var list []ctrl
	if out[0] == '{' {
		var one ctrl
		if err := json.Unmarshal(out, &one); err != nil {
			return nil, fmt.Errorf("PowerShell's video controller list is not JSON: %w", err)
		}
		list = []ctrl{one}
	} else if err := json.Unmarshal(out, &list); err != nil {
		return nil, fmt.Errorf("PowerShell's video controller list is not JSON: %w", err)
	}
	var gpus []GPU
	for _, c := range list {
		vendor := pciVendor(c.Name)
		if id := strings.ToUpper(c.PNPDeviceID); strings.Contains(id, "VEN_10DE") {
			vendor = VendorNVIDIA
		} else if strings.Contains(id, "VEN_1002") {
			vendor = VendorAMD
		} else if strings.Contains(id, "VEN_8086") {
			vendor = VendorIntel
		}
		g := GPU{Index: len(gpus), Vendor: vendor, Name: strings.TrimSpace(c.Name), Driver: c.DriverVersion, Source: "powershell"}
		switch {
		case c.AdapterRAM >= adapterRAMCap:
			g.VRAMTotalB, g.VRAMAtLeast = 4<<30, true
		case c.AdapterRAM > 0:
			g.VRAMTotalB = c.AdapterRAM
		}
		gpus = append(gpus, g)
	}
	return gpus, nil
}

// collectWindowsGPUs adds the controllers no vendor tool reported.
func collectWindowsGPUs(ctx context.Context, f *Facts, t *toolbox) {
	out, ok := t.run(ctx, "powershell", powershellArgs...)
	if !ok {
		return
	}
	gpus, err := ParseVideoControllers([]byte(out))
	if err != nil {
		t.fail("powershell", err.Error())
		return
	}
	seen := map[string]bool{}
	for _, g := range f.GPUs {
		seen[g.Vendor] = true
	}
	for _, g := range gpus {
		if !seen[g.Vendor] {
			f.GPUs = append(f.GPUs, g)
		}
	}
}
