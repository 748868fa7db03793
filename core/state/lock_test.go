package state

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
)

func TestLockBlocksAndNamesTheHolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	held, err := AcquireLock(path, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = AcquireLock(path, "plan", 0)
	var locked *LockedError
	if !errors.As(err, &locked) {
		t.Fatalf("second lock: %v, want a LockedError", err)
	}
	if locked.Info.ID != held.Info.ID || locked.Info.Operation != "apply" || !strings.Contains(err.Error(), "force-unlock "+held.Info.ID) {
		t.Errorf("error does not name the holder: %v", err)
	}
	if err := held.Unlock(); err != nil {
		t.Fatal(err)
	}
	again, err := AcquireLock(path, "plan", 0)
	if err != nil {
		t.Fatalf("lock after unlock: %v", err)
	}
	again.Unlock()
}

func TestForceUnlockNeedsTheRightID(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	held, err := AcquireLock(path, "apply", 0)
	if err != nil {
		t.Fatal(err)
	}
	defer held.Unlock()
	if err := ForceUnlock(path, "wrong"); err == nil {
		t.Error("force-unlock with a wrong ID succeeded")
	}
	if err := ForceUnlock(path, held.Info.ID); err != nil {
		t.Errorf("force-unlock: %v", err)
	}
	l, err := AcquireLock(path, "plan", 0)
	if err != nil {
		t.Fatalf("lock after force-unlock: %v", err)
	}
	l.Unlock()
}
