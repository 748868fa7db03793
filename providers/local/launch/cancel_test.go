package launch_test

import (
	"context"
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"github.com/comfyhcl/comfyhcl/providers/local/launch/launchtest"
)

// TestSetupCancelledWhileWaiting cancels while the server starts: the launched process
// must be gone and no record left.
func TestSetupCancelledWhileWaiting(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Comfy)
	f.LaunchMode = "hang"
	o := options(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		// Cancel once `comfy launch` has run; bounded so a broken setup cannot hang.
		for i := 0; i < 2000 && len(f.Launched(t)) == 0; i++ {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	_, err := launch.Setup(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	pids := f.Launched(t)
	if len(pids) != 1 {
		t.Fatalf("launched %v", pids)
	}
	if launch.ProcessAlive(pids[0]) {
		t.Errorf("pid %d still runs after cancellation", pids[0])
	}
	if _, err := os.Stat(launch.RecordPath(o.Workspace)); !os.IsNotExist(err) {
		t.Errorf("record left behind: %v", err)
	}
}

// TestSetupCancelledWhileInstalling cancels while pipx runs: pipx (and its children)
// must be killed.
func TestSetupCancelledWhileInstalling(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Pipx)
	f.Hang = []string{"pipx"}
	o := options(t, f)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for i := 0; i < 2000 && len(f.Hung(t)) == 0; i++ {
			time.Sleep(5 * time.Millisecond)
		}
		cancel()
	}()
	_, err := launch.Setup(ctx, o)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	for _, pid := range f.Hung(t) {
		if launch.ProcessAlive(pid) {
			t.Errorf("pipx (pid %d) still runs after cancellation", pid)
		}
	}
	if launch.Installed(o.Workspace) || len(f.Launched(t)) != 0 {
		t.Error("setup went on after cancellation")
	}
}

// TestSetupInstallInterruptedOrFailed: a half-done install into a workspace setup
// created is removed (the next run would trip on it); a workspace that existed stays.
func TestSetupInstallInterruptedOrFailed(t *testing.T) {
	for _, tc := range []struct {
		name    string
		hang    bool
		existed bool
	}{{"cancelled", true, false}, {"failed", false, false}, {"failed in an existing dir", false, true}} {
		t.Run(tc.name, func(t *testing.T) {
			f := sandbox(t)
			f.Write(t, launchtest.Comfy)
			o := options(t, f)
			if tc.existed {
				if err := os.MkdirAll(o.Workspace, 0o755); err != nil {
					t.Fatal(err)
				}
			}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tc.hang {
				f.Hang = []string{"comfy-install"}
				go func() {
					for i := 0; i < 2000 && len(f.Hung(t)) == 0; i++ {
						time.Sleep(5 * time.Millisecond)
					}
					cancel()
				}()
			} else {
				f.Fail = []string{"comfy-install"}
			}
			o.Env = append(f.Env(), "LAUNCH_FAKE_SERVE=1")
			_, err := launch.Setup(ctx, o)
			if err == nil {
				t.Fatal("setup succeeded")
			}
			if !tc.hang && !strings.Contains(err.Error(), "Could not resolve host") {
				t.Errorf("err = %v", err)
			}
			_, statErr := os.Stat(o.Workspace)
			if exists := statErr == nil; exists != tc.existed {
				t.Errorf("workspace exists = %v, want %v", exists, tc.existed)
			}
			for _, pid := range f.Hung(t) {
				if launch.ProcessAlive(pid) {
					t.Errorf("install (pid %d) still runs", pid)
				}
			}
		})
	}
}
