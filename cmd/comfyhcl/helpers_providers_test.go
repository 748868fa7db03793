package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var (
	providerBinsOnce sync.Once
	providerBinsErr  error
	poolBinPath      string
	fakeBinPath      string
)

// providerBins builds comfyhcl-provider-pool and the misbehaving fake provider once,
// beside the comfyhcl binary TestMain built (and removes).
func providerBins(t *testing.T) (pool, fake string) {
	t.Helper()
	providerBinsOnce.Do(func() {
		dir := filepath.Dir(binPath)
		poolBinPath = filepath.Join(dir, "bins", "comfyhcl-provider-pool")
		fakeBinPath = filepath.Join(dir, "bins", "comfyhcl-provider-fake")
		for out, pkg := range map[string]string{poolBinPath: "../comfyhcl-provider-pool", fakeBinPath: "../../plugins/testdata/fakeprovider"} {
			b := exec.Command("go", "build", "-o", out, pkg)
			if msg, err := b.CombinedOutput(); err != nil {
				providerBinsErr = fmt.Errorf("building %s: %v\n%s", pkg, err, msg)
				return
			}
		}
	})
	if providerBinsErr != nil {
		t.Fatal(providerBinsErr)
	}
	return poolBinPath, fakeBinPath
}

// installProvider copies a provider binary into the project's .comfyhcl/plugins under
// the name comfyhcl-provider-<name>, and returns its path.
func installProvider(t *testing.T, project, src, name string) string {
	t.Helper()
	dir := filepath.Join(project, ".comfyhcl", "plugins")
	os.MkdirAll(dir, 0o755)
	data, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(dir, "comfyhcl-provider-"+name)
	if err := os.WriteFile(dst, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return dst
}

// isolatedEnv keeps the user's own provider folder out of the test.
func isolatedEnv(t *testing.T, extra ...string) []string {
	return append([]string{"XDG_DATA_HOME=" + t.TempDir()}, extra...)
}

// assertNoProviderProcesses fails when a process whose command line mentions marker
// (a test's own directory or binary) is still alive after a bounded wait: no provider
// may outlive the command that started it.
func assertNoProviderProcesses(t *testing.T, marker string) {
	t.Helper()
	var left []string
	for i := 0; i < 200; i++ {
		left = processesMentioning(marker)
		if len(left) == 0 {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Errorf("provider processes outlived the command: %v", left)
}

func processesMentioning(marker string) []string {
	entries, _ := os.ReadDir("/proc")
	var out []string
	self := fmt.Sprint(os.Getpid())
	for _, e := range entries {
		pid := e.Name()
		if pid == self || pid[0] < '0' || pid[0] > '9' {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", pid, "cmdline"))
		if err != nil || !strings.Contains(string(cmdline), marker) || isZombie(pid) {
			continue
		}
		out = append(out, pid+" "+strings.ReplaceAll(string(cmdline), "\x00", " "))
	}
	return out
}

func isZombie(pid string) bool {
	stat, err := os.ReadFile(filepath.Join("/proc", pid, "stat"))
	if err != nil {
		return true
	}
	s := string(stat)
	i := strings.LastIndex(s, ")")
	return i < 0 || i+2 >= len(s) || s[i+2] == 'Z'
}

// copyWorkflow puts the quickstart workflow into dir/workflows.
func copyWorkflow(t *testing.T, dir string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json"))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(dir, "workflows"), 0o755)
	os.WriteFile(filepath.Join(dir, "workflows", "txt2img.json"), data, 0o644)
}

func writeConfig(t *testing.T, dir, src string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, "main.comfy.hcl"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}
