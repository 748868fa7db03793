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

func TestRestart(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Comfy)
	o := options(t, f)
	res, err := launch.Setup(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	old := res.Record.PID
	rec, err := launch.Restart(context.Background(), res.Record, o.Env, time.Minute)
	if err != nil {
		launch.Stop(res.Record)
		t.Fatal(err)
	}
	defer launch.Stop(rec)
	if rec.PID == old || launch.ProcessAlive(old) || !launch.Answering(context.Background(), rec.URL) {
		t.Errorf("restart: old pid %d (alive %v), new %+v", old, launch.ProcessAlive(old), rec)
	}
	saved, err := launch.LoadRecord(o.Workspace)
	if err != nil || saved.PID != rec.PID {
		t.Errorf("saved record %+v, %v", saved, err)
	}
	if err := launch.Stop(rec); err != nil {
		t.Fatal(err)
	}
	if launch.ProcessAlive(rec.PID) || launch.Answering(context.Background(), rec.URL) {
		t.Error("Stop left the server running")
	}
	if _, err := launch.Restart(context.Background(), nil, nil, 0); err == nil || !strings.Contains(err.Error(), "comfyhcl setup") {
		t.Errorf("restart without record: %v", err)
	}
}

func TestServerURL(t *testing.T) {
	tests := []struct {
		listen string
		want   string
	}{
		{"", "http://127.0.0.1:8188"},
		{"0.0.0.0", "http://127.0.0.1:8188"},
		{"::", "http://127.0.0.1:8188"},
		{"192.168.1.5", "http://192.168.1.5:8188"},
		{"::1", "http://[::1]:8188"},
		{"0.0.0.0,::", "http://127.0.0.1:8188"},
	}
	for _, tc := range tests {
		if got := launch.ServerURL(tc.listen, 8188); got != tc.want {
			t.Errorf("ServerURL(%q) = %q, want %q", tc.listen, got, tc.want)
		}
	}
}

func TestFindCLI(t *testing.T) {
	tests := []struct {
		tools []string
		via   string
		ok    bool
	}{
		{nil, "", false},
		{[]string{launchtest.Uvx}, "uvx", true},
		{[]string{launchtest.Uvx, launchtest.Comfy}, "found", true},
	}
	for _, tc := range tests {
		f := sandbox(t)
		f.Write(t, tc.tools...)
		cli, ok := launch.FindCLI(f.Env())
		if ok != tc.ok || cli.Via != tc.via {
			t.Errorf("%v: FindCLI = %+v, %v", tc.tools, cli, ok)
		}
	}
}
