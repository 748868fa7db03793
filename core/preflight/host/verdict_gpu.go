package host

import "fmt"

// gpuVerdict judges the best GPU alone.
func gpuVerdict(f Facts, req Requirements) Verdict {
	g := f.BestGPU()
	if f.Apple != nil && f.Apple.Rosetta {
		return Verdict{Level: UseCloud, Reasons: []string{
			"running under Rosetta (x86_64 on Apple Silicon): PyTorch cannot use the GPU (MPS); install the arm64 build of Python and comfyhcl, or use cloud"}}
	}
	if g == nil {
		return Verdict{Level: UseCloud, Reasons: []string{"no GPU found: CPU rendering is 50-100x slower; use cloud (provider \"cloud\") or a machine with an NVIDIA GPU"}}
	}
	if g.VRAMTotalB == 0 {
		return Verdict{Level: UseCloud, Reasons: []string{unknownVRAMReason(f, g)}}
	}
	if g.Unified {
		return appleVerdict(g, req)
	}
	name := fmt.Sprintf("%s (%s VRAM)", g.Name, Bytes(g.VRAMTotalB))
	var v Verdict
	switch {
	case g.VRAMAtLeast && g.VRAMTotalB < req.VRAMB:
		v = Verdict{Level: Marginal, Reasons: []string{fmt.Sprintf("%s has at least %s of VRAM (Windows reports no more); install the vendor's tool (nvidia-smi ships with the NVIDIA driver) for the real figure",
			g.Name, Bytes(g.VRAMTotalB))}}
	case g.VRAMTotalB >= req.VRAMB:
		v = Verdict{Level: LocalOK, Reasons: []string{name + " is enough for SDXL and fp8 Flux"}}
	case g.VRAMTotalB >= req.MinVRAMB:
		v = Verdict{Level: Marginal, Reasons: []string{name + " runs SD1.5; SDXL and Flux need --lowvram or fp8/GGUF models; use cloud for heavy work"}}
	default:
		v = Verdict{Level: UseCloud, Reasons: []string{fmt.Sprintf("%s is below the %s floor for current models: use cloud", name, Bytes(req.MinVRAMB))}}
	}
	if g.Vendor == VendorAMD && f.OS != "linux" {
		v.worsen(Marginal, "AMD GPUs run ComfyUI through ROCm on Linux only")
	}
	if f.Best != 0 && len(f.GPUs) > 1 && (g.Source == "nvidia-smi" || g.Source == "rocm-smi") {
		v.Reasons = append(v.Reasons, fmt.Sprintf("several GPUs: launch ComfyUI with --cuda-device %d (or CUDA_VISIBLE_DEVICES=%d) to use %s", g.Index, g.Index, g.Name))
	}
	return v
}

func appleVerdict(g *GPU, req Requirements) Verdict {
	name := fmt.Sprintf("%s with %s unified memory", g.Name, Bytes(g.VRAMTotalB))
	switch {
	case g.VRAMTotalB >= req.AppleMemB:
		return Verdict{Level: LocalOK, Reasons: []string{name + " runs SDXL and Flux through MPS (slower than a comparable NVIDIA GPU)"}}
	case g.VRAMTotalB >= 16*gib:
		return Verdict{Level: Marginal, Reasons: []string{name + " runs SD1.5 and SDXL; Flux needs fp8/GGUF models; use cloud for heavy work"}}
	}
	return Verdict{Level: UseCloud, Reasons: []string{name + " is too little for current models: use cloud"}}
}

func unknownVRAMReason(f Facts, g *GPU) string {
	switch g.Vendor {
	case VendorNVIDIA:
		if t := f.Tool("nvidia-smi"); t.Found {
			return fmt.Sprintf("%s is present but nvidia-smi fails (%s): reinstall or reload the NVIDIA driver, then run `comfyhcl hardware` again; until then use cloud", g.Name, t.Error)
		}
		return g.Name + " is present but nvidia-smi is not installed: install the NVIDIA driver (it ships nvidia-smi); until then use cloud"
	case VendorAMD:
		if f.OS == "windows" {
			return g.Name + ": ComfyUI's AMD support (ROCm) needs Linux; on Windows it runs only through DirectML, slowly: use cloud, or Linux"
		}
		return g.Name + " is present but rocm-smi is not installed: install ROCm to use it with ComfyUI; until then use cloud"
	}
	return g.Name + " has no known VRAM and no ComfyUI-supported driver tool: use cloud"
}
