package launch

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// launchArgs is the comfy-cli command that runs ComfyUI in the foreground of its own
// session; comfyhcl, not comfy-cli, keeps the pid and the log.
func launchArgs(cli CLI, workspace, listen string, port int) []string {
	return append(append([]string{}, cli.Command...), "--workspace", workspace, "--skip-prompt", "launch",
		"--", "--listen", listen, "--port", strconv.Itoa(port))
}

// pollInterval is how often the readiness probe asks; a variable so tests can go fast.
var pollInterval = 250 * time.Millisecond

// ErrExited says the server process ended before it answered.
var ErrExited = errors.New("ComfyUI exited before it answered")

// start runs argv detached with its output appended to logPath, then waits until the
// server answers at url. On any failure, timeout or cancellation it kills the process
// group it started, so nothing is left half-launched.
func (r *runner) start(ctx context.Context, argv []string, workspace, logPath, url string, timeout time.Duration) (int, error) {
	if err := os.MkdirAll(filepath.Dir(logPath), 0o755); err != nil {
		return 0, fmt.Errorf("cannot create the log directory: %w", err)
	}
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return 0, fmt.Errorf("cannot open the server log: %w", err)
	}
	defer logf.Close()
	offset, _ := logf.Seek(0, io.SeekEnd)
	fmt.Fprintf(logf, "--- comfyhcl: launching at %s: %s\n", time.Now().UTC().Format(time.RFC3339), strings.Join(argv, " "))
	prog := argv[0]
	if !strings.ContainsRune(prog, os.PathSeparator) {
		if prog, err = r.lookPath(prog); err != nil {
			return 0, err
		}
	}
	cmd := exec.Command(prog, argv[1:]...)
	cmd.Env, cmd.Dir = r.env, workspace
	cmd.Stdout, cmd.Stderr = logf, logf
	detach(cmd)
	if err := cmd.Start(); err != nil {
		return 0, fmt.Errorf("cannot start `%s`: %w", strings.Join(argv, " "), err)
	}
	pid := cmd.Process.Pid
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	fail := func(err error) (int, error) {
		stopGroup(pid, exited)
		return 0, err
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(pollInterval)
	defer tick.Stop()
	for {
		if Answering(ctx, url) {
			return pid, nil
		}
		select {
		case <-ctx.Done():
			return fail(ctx.Err())
		case werr := <-exited:
			exited <- werr // stopGroup reads it again
			return fail(fmt.Errorf("%w (%v); the end of its log %s:%s", ErrExited, werr, logPath, indentTail(logSince(logPath, offset), 15)))
		case <-deadline.C:
			return fail(fmt.Errorf("ComfyUI did not answer %s/system_stats within %s; it was stopped. See its log %s (a first launch that installs dependencies can take longer: raise -timeout)",
				url, timeout, logPath))
		case <-tick.C:
		}
	}
}

// stopGroup terminates the group, gives it a few seconds, then kills it. exited, when
// not nil, delivers the leader's Wait result (so the zombie is reaped).
func stopGroup(pid int, exited chan error) {
	_ = terminateGroup(pid)
	grace := time.NewTimer(5 * time.Second)
	defer grace.Stop()
	if exited != nil {
		select {
		case <-exited:
		case <-grace.C:
		}
	} else {
		for processAlive(pid) {
			select {
			case <-grace.C:
				_ = killGroup(pid)
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
	}
	_ = killGroup(pid) // whatever of the group is left
}

func logSince(path string, offset int64) string {
	data, err := os.ReadFile(path)
	if err != nil || offset > int64(len(data)) {
		return ""
	}
	return string(data[offset:])
}
