package main

import (
	"bufio"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestReattachToADebuggedProvider serves the pool binary in debug mode, as under a
// debugger, and runs plan against it through COMFYHCL_REATTACH_PROVIDERS.
func TestReattachToADebuggedProvider(t *testing.T) {
	poolBin, _ := providerBins(t)
	sim := startSim(t, comfysim.Faults{})
	dir := poolConfig(t, 1, 1, sim.URL())
	debug := exec.Command(poolBin, "-debug")
	out, _ := debug.StdoutPipe()
	if err := debug.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		debug.Process.Signal(syscall.SIGINT)
		debug.Wait()
	}()
	var value string
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "export "+plugins.ReattachEnv+"='"); ok {
			value = strings.TrimSuffix(v, "'")
			break
		}
	}
	go func() {
		for sc.Scan() {
		}
	}()
	if value == "" {
		t.Fatal("the pool binary printed no reattach line in -debug mode")
	}
	res := run(t, dir, isolatedEnv(t, plugins.ReattachEnv+"="+value), "plan")
	if res.code != 0 || !strings.Contains(res.stdout, "render.batch") {
		t.Fatalf("plan through reattach: exit %d\n%s\n%s", res.code, res.stdout, res.stderr)
	}
	if !strings.Contains(res.stderr, "Warning: "+plugins.ReattachEnv+" is set") {
		t.Errorf("no reattach warning:\n%s", res.stderr)
	}
	if debug.ProcessState != nil {
		t.Error("the debugged provider was stopped by comfyhcl")
	}
}
