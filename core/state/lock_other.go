//go:build !unix

package state

import (
	"errors"
	"os"
)

var errLocked = errors.New("locked by another process")

// Without flock, an exclusive marker file stands in; a crashed holder leaves it behind,
// which is what force-unlock is for.
func tryLock(f *os.File) error {
	marker, err := os.OpenFile(f.Name()+".held", os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return errLocked
	}
	if err == nil {
		marker.Close()
	}
	return err
}

func unlock(f *os.File) error { return os.Remove(f.Name() + ".held") }
