package plugins

import (
	"bufio"
	"context"
	"strings"
	"syscall"
	"testing"
)

// TestDebugServeAndReattach runs a provider in debug mode, as a developer would under a
// debugger, and attaches to it with the line it prints.
func TestDebugServeAndReattach(t *testing.T) {
	cmd := fakeCmd("debug")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
		assertGone(t, cmd.Process.Pid)
	}()
	var value string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if v, ok := strings.CutPrefix(line, "export "+ReattachEnv+"='"); ok {
			value = strings.TrimSuffix(v, "'")
			break
		}
	}
	if value == "" {
		t.Fatal("the debug-mode provider printed no reattach line")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	infos, err := ParseReattach(value)
	if err != nil {
		t.Fatal(err)
	}
	info, ok := infos["fake"]
	if !ok || info.Pid != cmd.Process.Pid {
		t.Fatalf("reattach info %+v", infos)
	}
	inst, diags := Launch(LaunchConfig{Name: "fake", Reattach: &info})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if md, d := inst.Metadata(context.Background()); d.HasErrors() || md.Name != "fake" {
		t.Errorf("metadata over reattach: %+v %v", md, d)
	}
	inst.Close()
	if !processAlive(cmd.Process.Pid) {
		t.Error("closing a reattached provider must leave the debugged process running")
	}
	if _, err := ParseReattach(`{"x":{"Addr":{"Network":"udp"}}}`); err == nil {
		t.Error("udp address accepted")
	}
}
