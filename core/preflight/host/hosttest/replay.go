package hosttest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
)

// Fixture is host.json. Commands maps a full command line ("nvidia-smi --query-gpu=...")
// or a bare tool name (any arguments) to a file holding its stdout; Failures maps the same
// keys to an error message (the tool is installed but fails). Files maps absolute paths
// (/proc/version) to fixture files.
type Fixture struct {
	OS        string            `json:"goos"`
	Arch      string            `json:"goarch"`
	Env       map[string]string `json:"env"`
	Files     map[string]string `json:"files"`
	Commands  map[string]string `json:"commands"`
	Failures  map[string]string `json:"failures"`
	Hardware  host.Inventory    `json:"hardware"`
	DiskFreeB int64             `json:"disk_free_bytes"`
	DiskTotB  int64             `json:"disk_total_bytes"`
	// DiskPath, when set, is the only path whose free space is known; others do not exist.
	DiskPath string `json:"disk_path"`

	dir string
}

// Load reads dir/host.json and returns Options that replay it for workspace.
func Load(dir, workspace string) (host.Options, error) {
	data, err := os.ReadFile(filepath.Join(dir, "host.json"))
	if err != nil {
		return host.Options{}, err
	}
	var fx Fixture
	if err := json.Unmarshal(data, &fx); err != nil {
		return host.Options{}, fmt.Errorf("%s/host.json: %w", dir, err)
	}
	fx.dir = dir
	return host.Options{System: &fx, Hardware: &fx, Workspace: workspace}, nil
}

func (f *Fixture) Probe() host.Inventory { return f.Hardware }
func (f *Fixture) GOOS() string          { return f.OS }
func (f *Fixture) GOARCH() string        { return f.Arch }
func (f *Fixture) Getenv(k string) string {
	return f.Env[k]
}

func (f *Fixture) LookPath(name string) (string, error) {
	for k := range f.Commands {
		if k == name || strings.HasPrefix(k, name+" ") {
			return "/usr/bin/" + name, nil
		}
	}
	for k := range f.Failures {
		if k == name || strings.HasPrefix(k, name+" ") {
			return "/usr/bin/" + name, nil
		}
	}
	return "", fmt.Errorf("exec: %q: executable file not found in $PATH", name)
}

func (f *Fixture) Run(_ context.Context, name string, args ...string) ([]byte, error) {
	line := strings.Join(append([]string{name}, args...), " ")
	for _, key := range []string{line, name} {
		if msg, ok := f.Failures[key]; ok {
			return nil, fmt.Errorf("%s: exit status 9: %s", name, msg)
		}
		if file, ok := f.Commands[key]; ok {
			return os.ReadFile(filepath.Join(f.dir, file))
		}
	}
	return nil, fmt.Errorf("%s: no recorded output for %q", name, line)
}

func (f *Fixture) ReadFile(path string) ([]byte, error) {
	file, ok := f.Files[path]
	if !ok {
		return nil, &fs.PathError{Op: "open", Path: path, Err: fs.ErrNotExist}
	}
	return os.ReadFile(filepath.Join(f.dir, file))
}

func (f *Fixture) DiskFree(path string) (int64, int64, error) {
	if f.DiskPath != "" && path != f.DiskPath {
		return 0, 0, &fs.PathError{Op: "statfs", Path: path, Err: fs.ErrNotExist}
	}
	if f.DiskTotB == 0 {
		return 0, 0, errors.New("statfs: not recorded")
	}
	return f.DiskFreeB, f.DiskTotB, nil
}
