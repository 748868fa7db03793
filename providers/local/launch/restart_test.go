package launch_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"github.com/comfyhcl/comfyhcl/providers/local/launch/launchtest"
)

func TestRestart(t *testing.T) {
	f := sandbox(t)
	f.Write(t, launchtest.Comfy)
	o := options(t, f)
	res, err := launch.Setup(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	old := res.Record.PID
	rec, err := launch.RestartWorkspace(context.Background(), o.Workspace, o.Env, time.Minute)
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
	if _, err := launch.RestartWorkspace(context.Background(), o.Workspace, nil, 0); err == nil || !strings.Contains(err.Error(), "comfyhcl setup") {
		t.Errorf("restart of a workspace without record: %v", err)
	}
}
