package host

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
)

// Torch is what the host's Python says about PyTorch (the optional probe).
type Torch struct {
	Python  string `json:"python"`
	Version string `json:"version,omitempty"`
	CUDA    bool   `json:"cuda"`
	ROCm    bool   `json:"rocm"`
	MPS     bool   `json:"mps"`
	Devices int    `json:"devices"`
	Error   string `json:"error,omitempty"`
}

// torchScript prints one JSON line; it never raises, so any Python answers.
const torchScript = `import json
r = {}
try:
    import torch
    r["version"] = torch.__version__
    r["cuda"] = bool(torch.cuda.is_available())
    r["rocm"] = bool(getattr(torch.version, "hip", None)) and r["cuda"]
    r["devices"] = torch.cuda.device_count() if r["cuda"] else 0
    mps = getattr(torch.backends, "mps", None)
    r["mps"] = bool(mps and mps.is_available())
except Exception as e:
    r["error"] = "%s: %s" % (type(e).__name__, e)
print(json.dumps(r))
`

// ParseTorchProbe reads the probe's output (the last JSON line; imports may print).
func ParseTorchProbe(out []byte) (Torch, error) {
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	var t Torch
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &t); err != nil {
		return t, fmt.Errorf("the PyTorch probe printed no JSON: %w", err)
	}
	return t, nil
}

func collectTorch(ctx context.Context, f *Facts, t *toolbox, python string) {
	out, ok := t.run(ctx, python, "-c", torchScript)
	if !ok {
		return
	}
	tr, err := ParseTorchProbe([]byte(out))
	if err != nil {
		t.fail(python, err.Error())
		return
	}
	tr.Python = python
	f.Torch = &tr
}

// torchReason says when PyTorch cannot use the GPU that was picked; "" when fine.
func torchReason(f Facts) string {
	tr, g := f.Torch, f.BestGPU()
	if tr == nil || g == nil {
		return ""
	}
	if tr.Error != "" {
		return fmt.Sprintf("%s cannot import PyTorch (%s): ComfyUI's install (`comfyhcl setup`) brings its own", tr.Python, tr.Error)
	}
	switch {
	case g.Vendor == VendorNVIDIA && !tr.CUDA:
		return fmt.Sprintf("PyTorch %s in %s cannot use CUDA (a CPU-only build, or a driver too old for it): reinstall torch from https://pytorch.org with the CUDA build", tr.Version, tr.Python)
	case g.Vendor == VendorAMD && !tr.ROCm:
		return fmt.Sprintf("PyTorch %s in %s is not a ROCm build: reinstall torch from https://pytorch.org with the ROCm build", tr.Version, tr.Python)
	case g.Vendor == VendorApple && !tr.MPS:
		return fmt.Sprintf("PyTorch %s in %s cannot use the Apple GPU (MPS): install the arm64 build of Python and torch", tr.Version, tr.Python)
	}
	return ""
}
