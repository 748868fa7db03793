package host

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// Options say where to look. Nil System and Hardware mean the real host.
type Options struct {
	System   System
	Hardware Hardware
	// Workspace is where models will be written; free disk is measured there (or at its
	// nearest existing parent). Empty skips the measurement.
	Workspace string
	// ProbeTorch asks Python (python3, or Python when set) whether PyTorch sees the GPU.
	// It imports torch, which takes seconds, so it is opt-in.
	ProbeTorch bool
	Python     string
}

// Collect gathers the host's facts. It never fails: what it cannot learn is a Note, and
// a tool that is absent or broken is recorded in Tools.
func Collect(ctx context.Context, opts Options) Facts {
	sys, hw := opts.System, opts.Hardware
	if sys == nil {
		sys = OS{}
	}
	if hw == nil {
		hw = GHW{}
	}
	f := Facts{OS: sys.GOOS(), Arch: sys.GOARCH(), Best: -1}
	inv := hw.Probe()
	if inv.CPU != nil {
		f.CPU = *inv.CPU
	}
	f.MemoryB, f.Disks, f.PCIGPUs = inv.MemoryB, inv.Disks, inv.PCIGPUs
	for _, e := range inv.Errors {
		f.Notes = append(f.Notes, "hardware probe: "+e)
	}
	t := &toolbox{sys: sys, facts: &f}
	switch f.OS {
	case "darwin":
		collectApple(ctx, &f, t)
	case "linux":
		if v, err := sys.ReadFile("/proc/version"); err == nil {
			f.WSL2 = IsWSL2(string(v), sys.Getenv)
		}
		fallthrough
	default:
		collectVendorGPUs(ctx, &f, t)
		if f.OS == "windows" {
			collectWindowsGPUs(ctx, &f, t)
		}
	}
	addPCIOnlyGPUs(&f)
	f.Best = PickBest(f.GPUs)
	if f.GPUs == nil {
		f.GPUs = []GPU{} // "gpus": [] in JSON
	}
	if opts.ProbeTorch {
		py := opts.Python
		if py == "" {
			py = "python3"
		}
		collectTorch(ctx, &f, t, py)
	}
	if opts.Workspace != "" {
		f.DiskFree = measureFree(sys, opts.Workspace, &f)
	}
	return f
}

func collectVendorGPUs(ctx context.Context, f *Facts, t *toolbox) {
	if out, ok := t.run(ctx, "nvidia-smi", nvidiaSMIArgs...); ok {
		gpus, err := ParseNvidiaSMI([]byte(out))
		if err != nil {
			t.fail("nvidia-smi", err.Error())
		}
		f.GPUs = append(f.GPUs, gpus...)
	}
	if out, ok := t.run(ctx, "rocm-smi", rocmSMIArgs...); ok {
		gpus, err := ParseRocmSMI([]byte(out))
		if err != nil {
			t.fail("rocm-smi", err.Error())
		}
		f.GPUs = append(f.GPUs, gpus...)
	}
}

// addPCIOnlyGPUs lists PCI GPUs of a vendor no tool reported, with VRAM unknown, so the
// verdict can say "NVIDIA card present, driver missing".
func addPCIOnlyGPUs(f *Facts) {
	seen := map[string]bool{}
	for _, g := range f.GPUs {
		seen[g.Vendor] = true
	}
	n := 0
	for _, p := range f.PCIGPUs {
		v := pciVendor(p.Vendor)
		if seen[v] || v == VendorApple {
			continue
		}
		name := strings.TrimSpace(p.Vendor + " " + p.Product)
		f.GPUs = append(f.GPUs, GPU{Index: n, Vendor: v, Name: name, Driver: p.Driver, Source: "pci"})
		n++
	}
}

func measureFree(sys System, path string, f *Facts) *Free {
	p := filepath.Clean(path)
	for {
		free, total, err := sys.DiskFree(p)
		if err == nil {
			return &Free{Path: p, FreeB: free, TotalB: total}
		}
		parent := filepath.Dir(p)
		if parent == p || !os.IsNotExist(err) {
			f.Notes = append(f.Notes, "free disk at "+path+": "+err.Error())
			return nil
		}
		p = parent
	}
}

// toolbox runs tools and records each one's presence and health in Facts.Tools.
type toolbox struct {
	sys   System
	facts *Facts
}

// run returns the tool's output and true when it ran; a missing or failing tool is
// recorded and yields false.
func (t *toolbox) run(ctx context.Context, name string, args ...string) (string, bool) {
	path, err := t.sys.LookPath(name)
	if err != nil {
		t.note(Tool{Name: name})
		return "", false
	}
	out, err := t.sys.Run(ctx, name, args...)
	if err != nil {
		t.note(Tool{Name: name, Found: true, Path: path, Error: err.Error()})
		return "", false
	}
	t.note(Tool{Name: name, Found: true, Path: path})
	return string(out), true
}

func (t *toolbox) fail(name, msg string) {
	for i := range t.facts.Tools {
		if t.facts.Tools[i].Name == name {
			t.facts.Tools[i].Error = msg
		}
	}
}

// note keeps one record per tool; an error from any call sticks.
func (t *toolbox) note(tool Tool) {
	for i, old := range t.facts.Tools {
		if old.Name == tool.Name {
			if tool.Error == "" {
				tool.Error = old.Error
			}
			t.facts.Tools[i] = tool
			return
		}
	}
	t.facts.Tools = append(t.facts.Tools, tool)
}
