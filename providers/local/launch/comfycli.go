package launch

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
)

// CLI is how to run comfy-cli: Command is the argv prefix (["/home/u/.local/bin/comfy"],
// or ["uvx", "--from", "comfy-cli", "comfy"]); Via says how it was obtained: "found"
// (already installed), "pipx", "uvx", "pip" or "pip --break-system-packages".
type CLI struct {
	Command []string `json:"command"`
	Via     string   `json:"via"`
}

// FindComfy looks for an installed `comfy`: on PATH, then where pipx and `pip --user`
// put scripts (~/.local/bin, $PIPX_BIN_DIR, ~/Library/Python/*/bin).
func FindComfy(env []string) (string, bool) {
	r := &runner{env: env}
	return r.findComfy()
}

func (r *runner) findComfy() (string, bool) {
	if p, err := r.lookPath("comfy"); err == nil {
		return p, true
	}
	var dirs []string
	if d := r.getenv("PIPX_BIN_DIR"); d != "" {
		dirs = append(dirs, d)
	}
	if home := r.getenv("HOME"); home != "" {
		dirs = append(dirs, filepath.Join(home, ".local", "bin"))
		mac, _ := filepath.Glob(filepath.Join(home, "Library", "Python", "*", "bin"))
		dirs = append(dirs, mac...)
	}
	for _, d := range dirs {
		p := filepath.Join(d, "comfy")
		if isExecutable(p) {
			return p, true
		}
	}
	return "", false
}

// FindCLI is how comfy-cli can be run without installing anything: an installed
// `comfy`, else through uvx (which fetches it on first use); ok is false when neither.
func FindCLI(env []string) (CLI, bool) {
	r := &runner{env: env}
	if p, ok := r.findComfy(); ok {
		return CLI{Command: []string{p}, Via: "found"}, true
	}
	if _, err := r.lookPath("uvx"); err == nil {
		return CLI{Command: []string{"uvx", "--from", "comfy-cli", "comfy"}, Via: "uvx"}, true
	}
	return CLI{}, false
}

// ErrNoInstaller says none of pipx, uvx or pip is available.
var ErrNoInstaller = fmt.Errorf("cannot install comfy-cli: none of pipx, uvx, pip is installed. " +
	"Install pipx (https://pipx.pypa.io, e.g. `apt install pipx` or `brew install pipx`) and run setup again")

// ensureCLI returns a working comfy-cli, installing it with the first installer that
// works. Each attempt's failure is kept for the error when all fail.
func (r *runner) ensureCLI(ctx context.Context) (CLI, error) {
	if p, ok := r.findComfy(); ok {
		return CLI{Command: []string{p}, Via: "found"}, nil
	}
	var tried []string
	installed := func(via string) (CLI, error) {
		if p, ok := r.findComfy(); ok {
			return CLI{Command: []string{p}, Via: via}, nil
		}
		return CLI{}, fmt.Errorf("comfy-cli was installed with %s but `comfy` is nowhere to be found: add ~/.local/bin to PATH (`pipx ensurepath`) and run setup again", via)
	}
	if _, err := r.lookPath("pipx"); err == nil {
		res := r.run(ctx, "pipx", "install", "comfy-cli")
		if res.err == nil {
			return installed("pipx")
		}
		if ctx.Err() != nil {
			return CLI{}, ctx.Err()
		}
		tried = append(tried, res.failure("pipx").Error())
	}
	if _, err := r.lookPath("uvx"); err == nil {
		cmd := []string{"uvx", "--from", "comfy-cli", "comfy"}
		res := r.run(ctx, append(cmd, "--help")...)
		if res.err == nil {
			return CLI{Command: cmd, Via: "uvx"}, nil
		}
		if ctx.Err() != nil {
			return CLI{}, ctx.Err()
		}
		tried = append(tried, res.failure("uvx").Error())
	}
	for _, pip := range r.pipCommands() {
		cli, done, err := r.pipInstall(ctx, pip, installed)
		if done {
			return cli, err
		}
		tried = append(tried, err.Error())
	}
	if len(tried) == 0 {
		return CLI{}, ErrNoInstaller
	}
	return CLI{}, fmt.Errorf("cannot install comfy-cli; every installer failed:\n  %s\nFix the first one (or install pipx) and run setup again",
		strings.Join(tried, "\n  "))
}

// pipCommands lists the pips to try: `python3 -m pip` (the pip of the Python that will
// run comfy), then pip3, then pip.
func (r *runner) pipCommands() [][]string {
	var out [][]string
	if _, err := r.lookPath("python3"); err == nil {
		out = append(out, []string{"python3", "-m", "pip"})
	}
	for _, name := range []string{"pip3", "pip"} {
		if _, err := r.lookPath(name); err == nil {
			out = append(out, []string{name})
		}
	}
	return out
}

// pipInstall runs `pip install --user comfy-cli`, retrying with --break-system-packages
// when the Python is externally managed (PEP 668): a --user install does not touch the
// distribution's files, which is why pip offers the override. done is false when the
// next pip should be tried (err says why this one failed).
func (r *runner) pipInstall(ctx context.Context, pip []string, installed func(string) (CLI, error)) (CLI, bool, error) {
	args := append(append([]string{}, pip...), "install", "--user", "comfy-cli")
	res := r.run(ctx, args...)
	via := "pip"
	if res.err != nil && ctx.Err() == nil && strings.Contains(res.out, "externally-managed-environment") {
		res = r.run(ctx, append(args, "--break-system-packages")...)
		via = "pip --break-system-packages"
	}
	if ctx.Err() != nil {
		return CLI{}, true, ctx.Err()
	}
	if res.err != nil {
		return CLI{}, false, res.failure(pip[0])
	}
	cli, err := installed(via)
	return cli, true, err
}
