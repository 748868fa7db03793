package launch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
)

// GPU builds comfy-cli can install.
var gpuFlags = map[string]string{"nvidia": "--nvidia", "amd": "--amd", "m-series": "--m-series", "cpu": "--cpu", "intel-arc": "--intel-arc"}

// GPUForHost picks the ComfyUI build for the host's best GPU.
func GPUForHost(f host.Facts) string {
	g := f.BestGPU()
	if g == nil || g.VRAMTotalB == 0 || (f.Apple != nil && f.Apple.Rosetta) {
		return "cpu"
	}
	switch g.Vendor {
	case host.VendorNVIDIA:
		return "nvidia"
	case host.VendorAMD:
		return "amd"
	case host.VendorApple:
		return "m-series"
	}
	return "cpu"
}

// installComfyUI clones ComfyUI into the workspace with comfy-cli unless it is there.
// It reports whether it installed anything.
func (r *runner) installComfyUI(ctx context.Context, cli CLI, workspace, gpu string) (bool, error) {
	if Installed(workspace) {
		return false, nil
	}
	flag, ok := gpuFlags[gpu]
	if !ok {
		return false, fmt.Errorf("unknown GPU build %q: use one of nvidia, amd, m-series, intel-arc, cpu", gpu)
	}
	if err := os.MkdirAll(filepath.Dir(workspace), 0o755); err != nil {
		return false, fmt.Errorf("cannot create the workspace's parent: %w", err)
	}
	_, statErr := os.Stat(workspace)
	fresh := os.IsNotExist(statErr)
	argv := append(append([]string{}, cli.Command...), "--workspace", workspace, "--skip-prompt", "install", flag)
	res := r.run(ctx, argv...)
	if res.err != nil {
		if fresh {
			// A half-cloned workspace would make the next `comfy install` fail; it did
			// not exist before, so nothing of the user's is in it.
			_ = os.RemoveAll(workspace)
		}
		return false, res.failure("installing ComfyUI into " + workspace)
	}
	if !Installed(workspace) {
		return false, fmt.Errorf("`comfy install` succeeded but %s has no main.py: check the output of `%s --workspace %s install` and the workspace path",
			workspace, cli.Command[0], workspace)
	}
	return true, nil
}
