package local

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// requirementsInstaller installs a pack's Python dependencies into the environment
// ComfyUI runs in.
type requirementsInstaller interface {
	// Describe names the tool for messages, e.g. "/ws/venv/bin/python -m pip".
	Describe() string
	Install(ctx context.Context, packDir, packName string) error
}

// pipInstaller runs `<python> -m pip install -r requirements.txt` in the pack.
type pipInstaller struct{ python string }

func (i pipInstaller) Describe() string { return i.python + " -m pip" }

func (i pipInstaller) Install(ctx context.Context, packDir, _ string) error {
	return runTool(ctx, packDir, i.python, "-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements.txt")
}

// comfyCLIInstaller asks comfy-cli (ComfyUI-Manager's cm-cli underneath) to fix the
// pack's dependencies, which also runs its install.py.
type comfyCLIInstaller struct{ comfy, ws string }

func (i comfyCLIInstaller) Describe() string { return i.comfy }

func (i comfyCLIInstaller) Install(ctx context.Context, packDir, packName string) error {
	return runTool(ctx, packDir, i.comfy, "--workspace="+i.ws, "--skip-prompt", "node", "fix", packName)
}

// pythonEnv names the Python ComfyUI runs with when it lives outside the workspace
// (conda, a venv elsewhere).
const pythonEnv = "COMFYHCL_PYTHON"

// findInstaller picks $COMFYHCL_PYTHON, the workspace's Python (venv/, .venv/, or the
// Windows portable python_embeded/ beside the workspace), then comfy-cli on PATH.
func findInstaller(ws string) (requirementsInstaller, error) {
	if py := os.Getenv(pythonEnv); py != "" {
		return pipInstaller{python: py}, nil
	}
	bin, exe := "bin", "python"
	if runtime.GOOS == "windows" {
		bin, exe = "Scripts", "python.exe"
	}
	candidates := []string{
		filepath.Join(ws, "venv", bin, exe),
		filepath.Join(ws, ".venv", bin, exe),
		filepath.Join(filepath.Dir(ws), "python_embeded", "python.exe"),
	}
	for _, c := range candidates {
		if fi, err := os.Stat(c); err == nil && !fi.IsDir() {
			return pipInstaller{python: c}, nil
		}
	}
	if comfy, err := exec.LookPath("comfy"); err == nil {
		return comfyCLIInstaller{comfy: comfy, ws: ws}, nil
	}
	return nil, fmt.Errorf("found no Python environment for ComfyUI: looked for %s, and comfy-cli is not on PATH. Set %s to the python ComfyUI runs with, create its venv at %s (python -m venv venv), or install comfy-cli (`comfyhcl setup`)",
		strings.Join(candidates[:2], " and "), pythonEnv, filepath.Join(ws, "venv"))
}

// installRequirements installs custom_nodes/<name>/requirements.txt when the pack has
// one; packs without it need nothing.
func (p *Provider) installRequirements(ctx context.Context, ws, packDir, name string, onProgress func(plugins.InstallProgress)) plugins.Diagnostics {
	if !hasRequirements(filepath.Join(packDir, "requirements.txt")) {
		return nil
	}
	inst, err := findInstaller(ws)
	if err != nil {
		return attrError("Cannot install the requirements of "+name, "", "%s", err)
	}
	// Two pip runs in one environment at once can leave it broken: one at a time.
	defer installLocks.lock("python:" + ws)()
	onProgress(plugins.InstallProgress{Message: "installing requirements of " + name + " with " + inst.Describe()})
	if err := inst.Install(ctx, packDir, name); err != nil {
		return attrError("Installing the requirements of "+name+" failed", "",
			"%s\nThe pack is in place but its dependencies are not; fix the error above and run apply again (it retries the requirements).", err)
	}
	return nil
}

// hasRequirements reports whether the file lists anything (not only blanks and
// comments), so packs with an empty requirements.txt start no pip at all.
func hasRequirements(path string) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(string(b), "\n") {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			return true
		}
	}
	return false
}

// runTool runs an external program and returns its output's tail in the error.
func runTool(ctx context.Context, dir, name string, args ...string) error {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "PIP_NO_INPUT=1")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		if len(msg) > 3000 {
			msg = "…" + msg[len(msg)-3000:]
		}
		return fmt.Errorf("%s %s: %v\n%s", name, strings.Join(args, " "), err, msg)
	}
	return nil
}
