package host

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// System is every look at the host outside ghw: running tools, reading files and the
// environment, free disk. Tests replace it with a recording (hosttest).
type System interface {
	GOOS() string
	GOARCH() string
	LookPath(name string) (string, error)
	// Run runs a tool and returns its standard output; a non-nil error carries stderr.
	Run(ctx context.Context, name string, args ...string) ([]byte, error)
	ReadFile(path string) ([]byte, error)
	Getenv(key string) string
	// DiskFree returns free and total bytes of the file system holding path.
	DiskFree(path string) (free, total int64, err error)
}

// OS is the real System.
type OS struct{}

func (OS) GOOS() string                               { return runtime.GOOS }
func (OS) GOARCH() string                             { return runtime.GOARCH }
func (OS) LookPath(name string) (string, error)       { return exec.LookPath(name) }
func (OS) ReadFile(path string) ([]byte, error)       { return os.ReadFile(path) }
func (OS) Getenv(key string) string                   { return os.Getenv(key) }
func (OS) DiskFree(path string) (int64, int64, error) { return diskFree(path) }

// toolTimeout bounds each tool: a wedged driver can make nvidia-smi hang for minutes.
const toolTimeout = 15 * time.Second

func (OS) Run(ctx context.Context, name string, args ...string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, toolTimeout)
	defer cancel()
	var out, errb bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	if err != nil {
		msg := strings.TrimSpace(errb.String())
		if msg == "" {
			msg = strings.TrimSpace(out.String())
		}
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			msg = "timed out after " + toolTimeout.String()
		}
		return out.Bytes(), fmt.Errorf("%s: %w: %s", name, err, firstLine(msg))
	}
	return out.Bytes(), nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(s)
}
