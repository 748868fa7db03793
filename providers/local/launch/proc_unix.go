//go:build unix

package launch

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// detach puts the child in its own session: Ctrl-C in the terminal does not reach it
// and it outlives comfyhcl; its process group id is its pid.
func detach(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// ownGroup puts a short-lived child in its own process group so cancelling kills its
// children too (pip spawns compilers, comfy spawns git and pip).
func ownGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} }

func signalGroup(pid int, sig syscall.Signal) error { return syscall.Kill(-pid, sig) }

func terminateGroup(pid int) error { return signalGroup(pid, syscall.SIGTERM) }
func killGroup(pid int) error      { return signalGroup(pid, syscall.SIGKILL) }

// processAlive reports whether pid exists and is not a zombie (a container's init may
// never reap an orphan, and a zombie answers signal 0).
func processAlive(pid int) bool {
	if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no procfs (macOS): trust the signal
	}
	if i := bytes.LastIndexByte(stat, ')'); i >= 0 && i+2 < len(stat) {
		return stat[i+2] != 'Z'
	}
	return true
}
