package plugins

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeBin is testdata/fakeprovider, built once for the package's tests.
var fakeBin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "comfyhcl-plugins-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fakeBin = filepath.Join(dir, BinaryName("fake"))
	build := exec.Command("go", "build", "-o", fakeBin, "./testdata/fakeprovider")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building the fake provider:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func fakeCmd(mode string) *exec.Cmd {
	cmd := exec.Command(fakeBin)
	cmd.Env = append(os.Environ(), "FAKE_MODE="+mode)
	return cmd
}

// assertGone fails the test when process pid is still alive (zombies count as gone)
// after a bounded wait.
func assertGone(t *testing.T, pid int) {
	t.Helper()
	for i := 0; i < 200; i++ {
		if !processAlive(pid) {
			return
		}
		time.Sleep(25 * time.Millisecond)
	}
	t.Errorf("provider process %d outlived its host's command", pid)
}

func processAlive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return true
	}
	s := string(stat)
	if i := strings.LastIndex(s, ")"); i >= 0 && i+2 < len(s) {
		return s[i+2] != 'Z'
	}
	return true
}
