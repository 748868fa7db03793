package host

import (
	"os"
	"strings"

	"github.com/jaypipes/ghw"
)

// Inventory is what the hardware probe reports; each part is independent so one failing
// (ghw does not know every platform) leaves the others.
type Inventory struct {
	CPU     *CPU     `json:"cpu,omitempty"`
	MemoryB int64    `json:"memory_bytes,omitempty"`
	Disks   []Disk   `json:"disks,omitempty"`
	PCIGPUs []PCIGPU `json:"pci_gpus,omitempty"`
	Errors  []string `json:"errors,omitempty"`
}

// Hardware probes CPU, memory, disks and PCI GPUs.
type Hardware interface {
	Probe() Inventory
}

// GHW is the real Hardware, backed by jaypipes/ghw. It never fetches the PCI database
// over the network and prints no warnings.
type GHW struct{}

func (GHW) Probe() Inventory {
	var inv Inventory
	opts := []any{ghw.WithDisableWarnings()}
	if c, err := ghw.CPU(opts...); err != nil {
		inv.Errors = append(inv.Errors, "cpu: "+err.Error())
	} else {
		cpu := CPU{Cores: int(c.TotalCores), Threads: int(c.TotalHardwareThreads)}
		for _, p := range c.Processors {
			if cpu.Model == "" {
				cpu.Model = strings.TrimSpace(p.Model)
			}
		}
		inv.CPU = &cpu
	}
	if m, err := ghw.Memory(opts...); err != nil {
		inv.Errors = append(inv.Errors, "memory: "+err.Error())
	} else {
		inv.MemoryB = m.TotalUsableBytes
		if m.TotalPhysicalBytes > 0 {
			inv.MemoryB = m.TotalPhysicalBytes
		}
	}
	if b, err := ghw.Block(opts...); err != nil {
		inv.Errors = append(inv.Errors, "disks: "+err.Error())
	} else {
		for _, d := range b.Disks {
			if d.SizeBytes == 0 || strings.HasPrefix(d.Name, "loop") || strings.HasPrefix(d.Name, "ram") {
				continue
			}
			model := strings.TrimSpace(d.Model)
			if strings.EqualFold(model, "unknown") {
				model = ""
			}
			inv.Disks = append(inv.Disks, Disk{Name: d.Name, Model: model, SizeB: int64(d.SizeBytes),
				Type: strings.ToLower(d.DriveType.String()), Remove: d.IsRemovable})
		}
	}
	if g, err := ghw.GPU(opts...); err != nil {
		// Usually a missing PCI ID database (pci.ids from hwdata/pciutils); raw ids
		// from sysfs still tell NVIDIA from AMD.
		inv.PCIGPUs = ScanSysfsGPUs("/sys/bus/pci/devices")
		if _, statErr := os.Stat("/sys/bus/pci/devices"); statErr == nil {
			inv.Errors = append(inv.Errors, "pci gpus: named from raw PCI ids ("+err.Error()+"; install the hwdata or pciutils package for full names)")
		} else {
			inv.Errors = append(inv.Errors, "pci gpus: "+err.Error())
		}
	} else {
		for _, c := range g.GraphicsCards {
			pg := PCIGPU{Address: c.Address}
			if d := c.DeviceInfo; d != nil {
				if d.Vendor != nil {
					pg.Vendor = d.Vendor.Name
				}
				if d.Product != nil {
					pg.Product = d.Product.Name
				}
				pg.Driver = d.Driver
			}
			inv.PCIGPUs = append(inv.PCIGPUs, pg)
		}
	}
	return inv
}

// pciVendor classifies a PCI vendor name.
func pciVendor(name string) string {
	n := strings.ToLower(name)
	switch {
	case strings.Contains(n, "nvidia"):
		return VendorNVIDIA
	case strings.Contains(n, "intel"):
		return VendorIntel
	case strings.Contains(n, "advanced micro") || strings.Contains(n, "amd") || strings.HasPrefix(n, "ati "):
		return VendorAMD
	case strings.Contains(n, "apple"):
		return VendorApple
	}
	return VendorOther
}
