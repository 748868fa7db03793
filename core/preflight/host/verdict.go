package host

import (
	"fmt"
	"sort"
	"strings"
)

// Level is the verdict on rendering locally.
type Level string

const (
	LocalOK  Level = "local ok"
	Marginal Level = "marginal"
	UseCloud Level = "use cloud"
)

// Requirements are what the work needs; zero fields take the defaults (a typical SDXL
// or fp8 Flux setup: 12 GiB VRAM comfortable, 6 GiB the floor, 20 GiB of disk).
type Requirements struct {
	VRAMB     int64 // comfortable VRAM
	MinVRAMB  int64 // below this, use cloud
	DiskB     int64 // free disk wanted in the workspace
	AppleMemB int64 // unified memory for an Apple GPU to count as comfortable
}

const gib = 1 << 30

func (r Requirements) withDefaults() Requirements {
	if r.VRAMB == 0 {
		r.VRAMB = 12 * gib
	}
	if r.MinVRAMB == 0 {
		r.MinVRAMB = min(6*gib, r.VRAMB)
	}
	if r.DiskB == 0 {
		r.DiskB = 20 * gib
	}
	if r.AppleMemB == 0 {
		r.AppleMemB = max(32*gib, r.VRAMB*2)
	}
	return r
}

// Verdict is the judgement with its reasons, most important first.
type Verdict struct {
	Level   Level    `json:"level"`
	Reasons []string `json:"reasons"`
}

// Reason is the first reason, for one-line reports.
func (v Verdict) Reason() string {
	if len(v.Reasons) == 0 {
		return ""
	}
	return v.Reasons[0]
}

var vendorRank = map[string]int{VendorNVIDIA: 0, VendorAMD: 1, VendorApple: 2, VendorIntel: 3, VendorOther: 4}

// PickBest returns the index in gpus of the GPU ComfyUI should use, or -1: known VRAM
// beats unknown, then CUDA over ROCm over Apple MPS over others, then the most VRAM,
// then the most free VRAM, then the lowest index.
func PickBest(gpus []GPU) int {
	if len(gpus) == 0 {
		return -1
	}
	idx := make([]int, len(gpus))
	for i := range idx {
		idx[i] = i
	}
	sort.SliceStable(idx, func(a, b int) bool {
		x, y := gpus[idx[a]], gpus[idx[b]]
		if (x.VRAMTotalB > 0) != (y.VRAMTotalB > 0) {
			return x.VRAMTotalB > 0
		}
		if x.VRAMTotalB != y.VRAMTotalB && vendorRank[x.Vendor] == vendorRank[y.Vendor] {
			return x.VRAMTotalB > y.VRAMTotalB
		}
		if vendorRank[x.Vendor] != vendorRank[y.Vendor] {
			return vendorRank[x.Vendor] < vendorRank[y.Vendor]
		}
		return x.VRAMFreeB > y.VRAMFreeB
	})
	return idx[0]
}

// Judge says whether rendering locally makes sense for req on this host.
func Judge(f Facts, req Requirements) Verdict {
	req = req.withDefaults()
	v := gpuVerdict(f, req)
	if r := torchReason(f); r != "" && v.Level == LocalOK {
		v.worsen(Marginal, r)
	} else if r != "" {
		v.Reasons = append(v.Reasons, r)
	}
	if f.DiskFree != nil && f.DiskFree.FreeB < req.DiskB {
		v.worsen(Marginal, fmt.Sprintf("only %s free at %s (want %s for models): free space or pick another -workspace",
			Bytes(f.DiskFree.FreeB), f.DiskFree.Path, Bytes(req.DiskB)))
	}
	if f.WSL2 {
		v.Reasons = append(v.Reasons, "WSL2: keep the workspace on the Linux file system (not /mnt/c), model loads from Windows drives are slow")
	}
	return v
}

func (v *Verdict) worsen(l Level, reason string) {
	if rank(l) > rank(v.Level) {
		v.Level = l
		v.Reasons = append([]string{reason}, v.Reasons...)
		return
	}
	v.Reasons = append(v.Reasons, reason)
}

func rank(l Level) int {
	switch l {
	case Marginal:
		return 1
	case UseCloud:
		return 2
	}
	return 0
}

// Bytes formats a size in binary units, e.g. "23.6 GiB".
func Bytes(n int64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB"}
	f := float64(n)
	i := 0
	for f >= 1024 && i < len(units)-1 {
		f /= 1024
		i++
	}
	if i == 0 {
		return fmt.Sprintf("%d B", n)
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", f), ".0") + " " + units[i]
}
