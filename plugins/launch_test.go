package plugins

import (
	"context"
	"strings"
	"testing"
	"time"
)

// TestLaunchFailuresGiveOneDiagnostic runs each misbehaving provider and checks the
// single diagnostic the user gets, and that no process is left behind.
func TestLaunchFailuresGiveOneDiagnostic(t *testing.T) {
	cases := []struct {
		mode string
		want []string
	}{
		{"crash-start", []string{`Provider "fake" crashed during start-up`, `provider "fake"`, "start-up (handshake)", "/tmp/provider.log", "panic: fake provider: cannot start", "fake: loading settings"}},
		{"hang", []string{`Provider "fake" did not start`, "hangs on start", "1s", "/tmp/provider.log", "waiting for something that never comes"}},
		{"junk", []string{`Provider "fake" printed junk on stdout`, "hello from an init function", "must not write to stdout", "/tmp/provider.log"}},
		{"proto2", []string{`Provider "fake" speaks another protocol version`, "2.0.0", "protocol 2", "protocol 1", "upgrade comfyhcl", "/tmp/provider.log"}},
	}
	for _, c := range cases {
		t.Run(c.mode, func(t *testing.T) {
			cmd := fakeCmd(c.mode)
			inst, diags := Launch(LaunchConfig{Name: "fake", Cmd: cmd, LogPath: "/tmp/provider.log", StartTimeout: time.Second})
			if inst != nil {
				inst.Close()
				t.Fatal("Launch succeeded")
			}
			if len(diags) != 1 {
				t.Fatalf("want one diagnostic, got %d: %v", len(diags), diags)
			}
			text := diags[0].Summary + "\n" + diags[0].Detail
			for _, w := range c.want {
				if !strings.Contains(text, w) {
					t.Errorf("diagnostic lacks %q:\n%s", w, text)
				}
			}
			if cmd.Process != nil {
				assertGone(t, cmd.Process.Pid)
			}
		})
	}
}

func TestCrashDuringOperationNamesProviderOperationAndStderr(t *testing.T) {
	cmd := fakeCmd("crash-configure")
	inst, diags := Launch(LaunchConfig{Name: "fake", Cmd: cmd, LogPath: "/tmp/provider.log"})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	defer inst.Close()
	if md, d := inst.Metadata(context.Background()); d.HasErrors() || md.Version != "0.9.0" {
		t.Fatalf("metadata: %+v %v", md, d)
	}
	_, diags = inst.Configure(context.Background(), ConfigureRequest{})
	if len(diags) != 1 {
		t.Fatalf("want one diagnostic, got %v", diags)
	}
	text := diags[0].Summary + "\n" + diags[0].Detail
	for _, w := range []string{`Provider "fake" failed during Configure`, "configuring it", `provider "fake"`, "crashed", "/tmp/provider.log", "panic: fake provider: nil map in Configure"} {
		if !strings.Contains(text, w) {
			t.Errorf("diagnostic lacks %q:\n%s", w, text)
		}
	}
	inst.Close()
	assertGone(t, inst.Pid)
}

func TestLaunchHealthyProviderAndClose(t *testing.T) {
	inst, diags := Launch(LaunchConfig{Name: "fake", Cmd: fakeCmd("ok")})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if inst.Pid == 0 {
		t.Error("no pid")
	}
	if _, d := inst.Configure(context.Background(), ConfigureRequest{}); d.HasErrors() {
		t.Error(d)
	}
	inst.Close()
	assertGone(t, inst.Pid)
}
