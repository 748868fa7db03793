package launch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"time"
)

// runner runs the short-lived setup commands (pipx, pip, comfy install) with the
// environment the caller chose, each in its own process group so that cancelling the
// context kills the whole tree.
type runner struct {
	env []string // nil: this process's environment
	dir string
}

// result is a finished command; out is stdout and stderr interleaved (tail kept).
type result struct {
	argv []string
	out  string
	err  error
}

const outputTail = 64 << 10

func (r *runner) run(ctx context.Context, argv ...string) result {
	prog := argv[0]
	if !strings.ContainsRune(prog, os.PathSeparator) {
		p, err := r.lookPath(prog)
		if err != nil {
			return result{argv: argv, err: err}
		}
		prog = p
	}
	cmd := exec.CommandContext(ctx, prog, argv[1:]...)
	cmd.Env, cmd.Dir = r.env, r.dir
	var buf tailBuffer
	cmd.Stdout, cmd.Stderr = &buf, &buf
	cmd.Stdin = nil // /dev/null: nothing may stop to ask a question
	ownGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd.Process.Pid) }
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return result{argv: argv, out: buf.String(), err: err}
}

// lookPath finds a program on the PATH of the runner's environment.
func (r *runner) lookPath(name string) (string, error) {
	path := os.Getenv("PATH")
	for _, kv := range r.env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			path = v
		}
	}
	for _, dir := range strings.Split(path, string(os.PathListSeparator)) {
		if dir == "" {
			dir = "."
		}
		p := dir + string(os.PathSeparator) + name
		if isExecutable(p) {
			return p, nil
		}
	}
	return "", fmt.Errorf("%s: not found on PATH", name)
}

func (r *runner) getenv(key string) string {
	for i := len(r.env) - 1; i >= 0; i-- {
		if v, ok := strings.CutPrefix(r.env[i], key+"="); ok {
			return v
		}
	}
	if r.env == nil {
		return os.Getenv(key)
	}
	return ""
}

// failure explains a failed command with the end of its output.
func (res result) failure(what string) error {
	if errors.Is(res.err, context.Canceled) {
		return res.err
	}
	return fmt.Errorf("%s: `%s` failed (%v)%s", what, strings.Join(res.argv, " "), res.err, indentTail(res.out, 12))
}

func indentTail(out string, n int) string {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	return "\n    " + strings.Join(lines, "\n    ")
}

// tailBuffer keeps the last outputTail bytes written to it.
type tailBuffer struct{ b bytes.Buffer }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.b.Write(p)
	if t.b.Len() > 2*outputTail {
		keep := t.b.Bytes()[t.b.Len()-outputTail:]
		t.b = *bytes.NewBuffer(append([]byte(nil), keep...))
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return t.b.String() }
