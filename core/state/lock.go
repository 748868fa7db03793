package state

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"time"
)

// LockInfo says who holds the state lock, so a blocked user knows whom to ask.
type LockInfo struct {
	ID        string    `json:"id"`
	Operation string    `json:"operation"`
	Who       string    `json:"who"`
	PID       int       `json:"pid"`
	Created   time.Time `json:"created"`
}

// LockedError is returned when another process holds the lock past the timeout.
type LockedError struct {
	Path string
	Info LockInfo
}

func (e *LockedError) Error() string {
	i := e.Info
	return fmt.Sprintf("the state is locked by %s (pid %d) running %q since %s (lock ID %s, file %s).\n"+
		"Wait for it to finish, pass -lock-timeout=5m to wait, or, if that process is gone or hung, run: comfyhcl force-unlock %s",
		i.Who, i.PID, i.Operation, i.Created.Format(time.RFC3339), i.ID, e.Path, i.ID)
}

// Lock is a held state lock.
type Lock struct {
	f    *os.File
	Info LockInfo
}

// LockPath is the sidecar lock file of a state file.
func LockPath(statePath string) string {
	return strings.TrimSuffix(statePath, ".json") + ".lock"
}

// AcquireLock takes the state's sidecar lock (an OS file lock, released by the kernel if
// the holder dies), retrying until timeout. The holder's details are written into the
// file for whoever is blocked.
func AcquireLock(statePath, operation string, timeout time.Duration) (*Lock, error) {
	path := LockPath(statePath)
	deadline := time.Now().Add(timeout)
	for {
		f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o644)
		if err != nil {
			return nil, fmt.Errorf("opening the state lock %s: %w", path, err)
		}
		err = tryLock(f)
		if err == nil {
			l := &Lock{f: f, Info: newLockInfo(operation)}
			data, _ := json.Marshal(l.Info)
			f.Truncate(0)
			f.WriteAt(append(data, '\n'), 0)
			f.Sync()
			return l, nil
		}
		f.Close()
		if !errors.Is(err, errLocked) {
			return nil, fmt.Errorf("locking the state %s: %w", path, err)
		}
		if time.Now().After(deadline) {
			return nil, &LockedError{Path: path, Info: ReadLockInfo(statePath)}
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Unlock releases the lock and clears the holder's details.
func (l *Lock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	l.f.Truncate(0)
	err := unlock(l.f)
	l.f.Close()
	l.f = nil
	return err
}

// ReadLockInfo reads the holder's details (zero when unreadable).
func ReadLockInfo(statePath string) LockInfo {
	var info LockInfo
	data, err := os.ReadFile(LockPath(statePath))
	if err == nil {
		json.Unmarshal(data, &info)
	}
	return info
}

// ForceUnlock removes a lock whose holder is gone or hung. The ID must match, so that a
// lock taken since the user looked is not broken by mistake.
func ForceUnlock(statePath, id string) error {
	info := ReadLockInfo(statePath)
	if info.ID == "" {
		return fmt.Errorf("the state is not locked (no holder recorded in %s)", LockPath(statePath))
	}
	if info.ID != id {
		return fmt.Errorf("the lock is held under ID %s, not %s; check `comfyhcl force-unlock` was given the ID from the error", info.ID, id)
	}
	return os.Remove(LockPath(statePath))
}

func newLockInfo(operation string) LockInfo {
	var b [8]byte
	rand.Read(b[:])
	who := "unknown"
	if u, err := user.Current(); err == nil {
		who = u.Username
	}
	if host, err := os.Hostname(); err == nil {
		who += "@" + host
	}
	return LockInfo{ID: hex.EncodeToString(b[:]), Operation: operation, Who: who, PID: os.Getpid(), Created: time.Now().UTC()}
}
