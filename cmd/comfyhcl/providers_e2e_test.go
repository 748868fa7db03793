package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/core/state"
)

// poolConfig is a project with the pool provider over urls and one render with count.
func poolConfig(t *testing.T, count, steps int, urls ...string) string {
	t.Helper()
	poolBin, _ := providerBins(t)
	dir := t.TempDir()
	var members []string
	for _, u := range urls {
		members = append(members, fmt.Sprintf("{ url = %q }", u))
	}
	writeConfig(t, dir, strings.Replace(poolRequired, "%s", "~> 1.0", 1)+fmt.Sprintf(`
provider "pool" {
  members         = [%s]
  health_interval = "100ms"
}

render "batch" {
  provider   = pool
  workflow   = "workflows/txt2img.json"
  params     = { steps = %d }
  count      = %d
  output_dir = "out/batch"
}
`, strings.Join(members, ", "), steps, count))
	copyWorkflow(t, dir)
	installProvider(t, dir, poolBin, "pool")
	if res := run(t, dir, isolatedEnv(t), "init"); res.code != 0 {
		t.Fatalf("init: %s", res.stderr)
	}
	return dir
}

// TestPoolThirtyRendersSurviveAKilledMember is the pool's end-to-end proof: three
// simulators, 30 render instances, one simulator killed mid-run.
func TestPoolThirtyRendersSurviveAKilledMember(t *testing.T) {
	slow := comfysim.Faults{StepDelay: 20 * time.Millisecond}
	sims := []*comfysim.Server{startSim(t, slow), startSim(t, slow), startSim(t, slow)}
	dir := poolConfig(t, 30, 10, sims[0].URL(), sims[1].URL(), sims[2].URL())
	logPath := filepath.Join(t.TempDir(), "comfyhcl.log")

	cmd := exec.Command(binPath, "apply", "-auto-approve")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), isolatedEnv(t, "COMFYHCL_LOG_PATH="+logPath)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	victim := sims[0]
	for i := 0; i < 1200 && victim.Stats().Submits < 3; i++ {
		time.Sleep(25 * time.Millisecond)
	}
	if victim.Stats().Submits < 3 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the victim never got 3 renders\n%s\n%s", out.String(), errb.String())
	}
	victimStats := victim.Stats()
	victim.Close()
	err := cmd.Wait()
	if err != nil {
		t.Fatalf("apply: %v\n%s\n%s", err, out.String(), errb.String())
	}

	st := readState(t, dir)
	prompts := map[string]bool{}
	succeeded := 0
	for i := 0; i < 30; i++ {
		addr := fmt.Sprintf("render.batch[%q]", fmt.Sprintf("#%d", i))
		inst, _ := st.FindRender(addr)
		if inst == nil {
			t.Errorf("%s missing from state", addr)
			continue
		}
		if inst.Status == state.StatusSucceeded && len(inst.Outputs) == 1 {
			succeeded++
		}
		if prompts[inst.PromptID] {
			t.Errorf("prompt id %s recorded twice", inst.PromptID)
		}
		prompts[inst.PromptID] = true
	}
	files, _ := filepath.Glob(filepath.Join(dir, "out", "batch", "*", "*", "*"))
	if succeeded != 30 || len(files) != 30 {
		t.Errorf("%d renders succeeded with %d files on disk, want 30 and 30\n%s", succeeded, len(files), errb.String())
	}
	if !strings.Contains(errb.String(), "Render moved to another pool member") {
		t.Errorf("renders in flight on the killed member should be reported as moved:\n%s", errb.String())
	}
	logData, _ := os.ReadFile(logPath)
	spread := regexp.MustCompile(`pool spread: .*renders="([^"]*)"`).FindSubmatch(logData)
	if spread == nil {
		t.Errorf("the pool did not report its spread in the log:\n%s", logData)
	} else {
		total := 0
		for _, m := range regexp.MustCompile(`=(\d+)`).FindAllStringSubmatch(string(spread[1]), -1) {
			n, _ := strconv.Atoi(m[1])
			total += n
		}
		if total != 30 {
			t.Errorf("the pool's spread %q adds up to %d renders, want 30", spread[1], total)
		}
		t.Logf("spread reported by the pool: %s", spread[1])
	}
	t.Logf("simulator submits: killed=%d (runs %d before the kill), others=%d,%d", victimStats.Submits, victimStats.Runs, sims[1].Stats().Submits, sims[2].Stats().Submits)
	if sims[1].Stats().Submits == 0 || sims[2].Stats().Submits == 0 {
		t.Errorf("renders did not spread over the surviving members")
	}
	assertNoProviderProcesses(t, dir)
}

// TestMisbehavingProviderGivesOneDiagnostic runs plan with a provider that crashes
// (at start or while being configured), hangs on start, prints junk on stdout, or
// speaks another protocol major: each gives exactly one error, placed on the provider
// block, naming the provider, the operation and the log file, and leaves no process.
func TestMisbehavingProviderGivesOneDiagnostic(t *testing.T) {
	_, fakeBin := providerBins(t)
	dir := t.TempDir()
	writeConfig(t, dir, `comfyhcl {
  required_providers {
    fake = { source = "acme/fake" }
  }
}

provider "fake" {
  url = "http://127.0.0.1:1"
}

render "x" {
  provider = fake
  workflow = "workflows/txt2img.json"
}
`)
	copyWorkflow(t, dir)
	installProvider(t, dir, fakeBin, "fake")
	logPath := filepath.Join(t.TempDir(), "comfyhcl.log")
	if res := run(t, dir, isolatedEnv(t), "init"); res.code != 0 {
		t.Fatalf("init: %s", res.stderr)
	}
	common := []string{`provider "fake"`, "main.comfy.hcl:7:", logPath}
	cases := map[string][]string{
		"crash-configure": {`Provider "fake" failed during Configure`, "configuring it", "panic: fake provider: nil map in Configure"},
		"crash-start":     {`Provider "fake" crashed during start-up`, "start-up (handshake)", "panic: fake provider: cannot start"},
		"hang":            {`Provider "fake" did not start`, "hangs on start", "waiting for something that never comes"},
		"junk":            {`Provider "fake" printed junk on stdout`, "hello from an init function"},
		"proto2":          {`Provider "fake" speaks another protocol version`, "protocol 2; this comfyhcl speaks protocol 1", "2.0.0"},
	}
	for mode, wants := range cases {
		t.Run(mode, func(t *testing.T) {
			env := isolatedEnv(t, "FAKE_MODE="+mode, "COMFYHCL_LOG_PATH="+logPath, "COMFYHCL_PROVIDER_START_TIMEOUT=1s")
			res := run(t, dir, env, "plan")
			if res.code != 1 || strings.Count(res.stderr, "Error: ") != 1 {
				t.Fatalf("want exit 1 and one error, got exit %d:\n%s", res.code, res.stderr)
			}
			for _, want := range append(wants, common...) {
				if !strings.Contains(res.stderr, want) {
					t.Errorf("diagnostic lacks %q:\n%s", want, res.stderr)
				}
			}
			assertNoProviderProcesses(t, dir)
		})
	}
}

// TestKilledCLITakesItsProvidersDown SIGKILLs comfyhcl in the middle of an apply that
// runs two providers (the built-in local, re-executed, and the pool binary): each
// provider's parent-death watchdog must end it (within 2s by design; the loop below
// only bounds the wait).
func TestKilledCLITakesItsProvidersDown(t *testing.T) {
	sim := startSim(t, comfysim.Faults{StepDelay: 200 * time.Millisecond})
	dir := poolConfig(t, 2, 20, sim.URL())
	os.WriteFile(filepath.Join(dir, "local.comfy.hcl"), []byte(fmt.Sprintf(`provider "local" {
  url = %q
}

render "one" {
  workflow = "workflows/txt2img.json"
  params   = { steps = 20 }
}
`, sim.URL())), 0o644)
	logPath := filepath.Join(t.TempDir(), "comfyhcl.log")
	cmd := exec.Command(binPath, "apply", "-auto-approve")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), isolatedEnv(t, "COMFYHCL_LOG_PATH="+logPath)...)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pidRE := regexp.MustCompile(`plugin started: .*pid=(\d+)`)
	var pids []int
	for i := 0; i < 1200 && (len(pids) < 2 || sim.Stats().Submits < 2); i++ {
		time.Sleep(25 * time.Millisecond)
		pids = pids[:0]
		for _, m := range pidRE.FindAllSubmatch(mustRead(logPath), -1) {
			pid, _ := strconv.Atoi(string(m[1]))
			pids = append(pids, pid)
		}
	}
	if len(pids) < 2 || sim.Stats().Submits < 2 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("the two providers never started rendering (pids %v, submits %d)", pids, sim.Stats().Submits)
	}
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()
	killed := time.Now()
	for _, pid := range pids {
		for i := 0; i < 400 && !isZombie(strconv.Itoa(pid)); i++ {
			time.Sleep(25 * time.Millisecond)
		}
		if !isZombie(strconv.Itoa(pid)) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Errorf("provider %d still runs 10s after its CLI was killed", pid)
			continue
		}
		t.Logf("provider %d gone %v after the CLI was SIGKILLed", pid, time.Since(killed).Round(10*time.Millisecond))
	}
	assertNoProviderProcesses(t, dir)
}

func mustRead(path string) []byte {
	b, _ := os.ReadFile(path)
	return b
}
