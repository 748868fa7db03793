package launch_test

import (
	"os"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"github.com/comfyhcl/comfyhcl/providers/local/launch/launchtest"
)

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

// TestRecordAliveChecksProcessStart: a live pid whose start time differs from the
// recorded one is a reused pid, not our server.
func TestRecordAliveChecksProcessStart(t *testing.T) {
	self := os.Getpid()
	rec := &launch.Record{PID: self}
	if !rec.Alive() {
		t.Fatal("this process is not alive?")
	}
	long := time.Now().Add(-1000 * time.Hour)
	rec.ProcessStart = &long
	if _, err := os.Stat("/proc/self/stat"); err == nil && rec.Alive() {
		t.Error("a pid with another start time counts as ours")
	}
	if (&launch.Record{PID: 0}).Alive() {
		t.Error("pid 0 alive")
	}
}
