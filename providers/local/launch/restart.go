package launch

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Stop ends the server a record describes (its whole process group) and removes the
// record. A record whose process is gone is just removed.
func Stop(rec *Record) error {
	if rec == nil {
		return nil
	}
	if rec.Alive() {
		stopGroup(rec.PID, nil)
		if rec.Alive() {
			return fmt.Errorf("ComfyUI (pid %d) did not stop: kill it by hand (kill -9 -%d)", rec.PID, rec.PID)
		}
	}
	if err := os.Remove(RecordPath(rec.Workspace)); err != nil && !os.IsNotExist(err) {
		return err
	}
	return nil
}

// Restart stops the server comfyhcl launched and starts it again with the same command,
// log and port, waiting up to timeout (0: 10 minutes) for it to answer. It returns the
// new record, already saved. env is the environment of the new process (nil: this one's).
func Restart(ctx context.Context, rec *Record, env []string, timeout time.Duration) (*Record, error) {
	if rec == nil || len(rec.Command) == 0 {
		return nil, fmt.Errorf("no launch record: only a server started by `comfyhcl setup` can be restarted; restart yours by hand")
	}
	if timeout <= 0 {
		timeout = 10 * time.Minute
	}
	if err := Stop(rec); err != nil {
		return nil, err
	}
	next := *rec
	next.Command = append([]string(nil), rec.Command...)
	r := &runner{env: env}
	if err := r.launch(ctx, &next, timeout); err != nil {
		return nil, fmt.Errorf("restarting ComfyUI: %w", err)
	}
	return &next, nil
}

// RestartWorkspace restarts the server recorded in workspace (see Restart); it is an
// error when comfyhcl launched nothing there.
func RestartWorkspace(ctx context.Context, workspace string, env []string, timeout time.Duration) (*Record, error) {
	rec, err := LoadRecord(workspace)
	if err != nil {
		return nil, err
	}
	if rec == nil {
		return nil, fmt.Errorf("no server launched by comfyhcl is recorded in %s: only a server started by `comfyhcl setup` can be restarted; restart yours by hand", workspace)
	}
	return Restart(ctx, rec, env, timeout)
}
