package host

// Facts is what Collect learned about the host. Zero values mean "unknown".
type Facts struct {
	OS       string   `json:"os"`
	Arch     string   `json:"arch"`
	CPU      CPU      `json:"cpu"`
	MemoryB  int64    `json:"memory_bytes"`
	Apple    *Apple   `json:"apple,omitempty"`
	WSL2     bool     `json:"wsl2"`
	Disks    []Disk   `json:"disks,omitempty"`
	PCIGPUs  []PCIGPU `json:"pci_gpus,omitempty"`
	GPUs     []GPU    `json:"gpus"`
	Best     int      `json:"best_gpu"` // index into GPUs, -1 when none is usable
	DiskFree *Free    `json:"disk_free,omitempty"`
	Torch    *Torch   `json:"torch,omitempty"`
	Tools    []Tool   `json:"tools"`
	Notes    []string `json:"notes,omitempty"`
}

// CPU summarises the processor packages.
type CPU struct {
	Model   string `json:"model"`
	Cores   int    `json:"cores"`
	Threads int    `json:"threads"`
}

// Apple describes an Apple Silicon Mac: Chip is "M2 Pro" and the like; Rosetta is true
// when this process runs translated (x86_64 binary on arm64), where MPS is unavailable.
type Apple struct {
	Chip    string `json:"chip"`
	Rosetta bool   `json:"rosetta"`
}

// Disk is one block device.
type Disk struct {
	Name   string `json:"name"`
	Model  string `json:"model,omitempty"`
	SizeB  int64  `json:"size_bytes"`
	Type   string `json:"type,omitempty"` // ssd, hdd, ...
	Remove bool   `json:"removable,omitempty"`
}

// PCIGPU is a display controller seen on the PCI bus, driver or not.
type PCIGPU struct {
	Address string `json:"address"`
	Vendor  string `json:"vendor"`
	Product string `json:"product"`
	Driver  string `json:"driver,omitempty"`
}

// Vendors of compute GPUs, in the order of preference when VRAM is equal.
const (
	VendorNVIDIA = "nvidia"
	VendorAMD    = "amd"
	VendorApple  = "apple"
	VendorIntel  = "intel"
	VendorOther  = "other"
)

// GPU is a compute device: from a vendor tool (VRAM known) or only from PCI (VRAM
// unknown, VRAMTotalB 0). Apple GPUs share the system memory (Unified true).
type GPU struct {
	Index      int    `json:"index"`
	Vendor     string `json:"vendor"`
	Name       string `json:"name"`
	VRAMTotalB int64  `json:"vram_total_bytes"`
	VRAMFreeB  int64  `json:"vram_free_bytes"`
	// VRAMAtLeast marks VRAMTotalB as a lower bound (Windows' AdapterRAM saturates at 4 GiB).
	VRAMAtLeast bool   `json:"vram_at_least,omitempty"`
	Driver      string `json:"driver,omitempty"`
	Source      string `json:"source"` // nvidia-smi, rocm-smi, sysctl, pci
	Unified     bool   `json:"unified_memory,omitempty"`
}

// Free is the free space of the file system holding Path (the workspace, or its nearest
// existing parent when it does not exist yet).
type Free struct {
	Path   string `json:"path"`
	FreeB  int64  `json:"free_bytes"`
	TotalB int64  `json:"total_bytes"`
}

// Tool records whether an external tool was found and whether it answered.
type Tool struct {
	Name  string `json:"name"`
	Found bool   `json:"found"`
	Path  string `json:"path,omitempty"`
	Error string `json:"error,omitempty"`
}

// BestGPU returns the chosen GPU, or nil.
func (f *Facts) BestGPU() *GPU {
	if f.Best < 0 || f.Best >= len(f.GPUs) {
		return nil
	}
	return &f.GPUs[f.Best]
}

// Tool returns the record of the named tool (zero when never looked up).
func (f *Facts) Tool(name string) Tool {
	for _, t := range f.Tools {
		if t.Name == name {
			return t
		}
	}
	return Tool{Name: name}
}
