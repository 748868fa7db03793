package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// FileName is the state file's name inside the config directory.
const FileName = "comfyhcl.state.json"

// Load reads the state at path; a missing file is an empty state, not an error.
func Load(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, fmt.Errorf("reading state: %w", err)
	}
	var s State
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("state file %s is not valid JSON (%v); the previous version is in %s.backup", path, err, path)
	}
	if s.FormatVersion > FormatVersion {
		return nil, fmt.Errorf("state file %s has format version %d; this comfyhcl reads up to %d: upgrade comfyhcl", path, s.FormatVersion, FormatVersion)
	}
	if s.Lineage == "" {
		return nil, fmt.Errorf("state file %s has no lineage: it was not written by comfyhcl", path)
	}
	if s.Providers == nil {
		s.Providers = map[string]*ProviderState{}
	}
	return &s, nil
}

// Save writes s to path atomically when its content differs from what is on disk,
// bumping Serial; an unchanged state leaves the file (and Serial) alone. Commands that
// save many times should keep one Writer instead.
func Save(path string, s *State) error {
	return NewWriter(path).Save(s)
}

// Writer saves one state file many times, as apply does after every item: it keeps the
// last content in memory instead of re-reading the file, and writes the .backup of the
// previous run's state once, before its first write, as Terraform does.
type Writer struct {
	mu       sync.Mutex
	path     string
	loaded   bool
	last     []byte // content with Serial zeroed, as on disk
	backedUp bool
}

// NewWriter returns a Writer for the state file at path.
func NewWriter(path string) *Writer { return &Writer{path: path} }

// Save writes s when its content changed since the last save (or since the file was
// read), bumping Serial.
func (w *Writer) Save(s *State) error { return w.SaveLocked(noLock{}, s) }

// SaveLocked is Save for a state that other goroutines change under l: l is held only
// while the state is encoded, not during the write and fsync, so they are not blocked
// by the disk. Concurrent calls coalesce: a call that finds its changes already written
// by another returns at once.
func (w *Writer) SaveLocked(l sync.Locker, s *State) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.loaded {
		prev, err := os.ReadFile(w.path)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("reading state before saving: %w", err)
		}
		var old State
		if prev != nil && json.Unmarshal(prev, &old) == nil {
			w.last = contentOf(&old)
		}
		w.backedUp = prev == nil
		w.loaded = true
	}
	l.Lock()
	content := contentOf(s)
	if w.last != nil && bytes.Equal(content, w.last) {
		l.Unlock()
		return nil
	}
	s.Serial++
	data, err := json.MarshalIndent(s, "", "  ")
	l.Unlock()
	if err == nil {
		err = w.write(append(data, '\n'))
	}
	if err != nil {
		l.Lock()
		s.Serial--
		l.Unlock()
		return err
	}
	w.last = content
	return nil
}

func (w *Writer) write(data []byte) error {
	if !w.backedUp {
		if prev, err := os.ReadFile(w.path); err == nil {
			if err := WriteFileAtomic(w.path+".backup", prev, 0o644); err != nil {
				return err
			}
		}
		w.backedUp = true
	}
	return WriteFileAtomic(w.path, data, 0o644)
}

type noLock struct{}

func (noLock) Lock()   {}
func (noLock) Unlock() {}

// contentOf is the state without its serial, for change detection.
func contentOf(s *State) []byte {
	c := *s
	c.Serial = 0
	b, _ := json.Marshal(c)
	return b
}

// WriteFileAtomic writes data to a temp file in path's directory, fsyncs it, renames it
// over path and fsyncs the directory, so a crash leaves either the old or the new file.
func WriteFileAtomic(path string, data []byte, perm os.FileMode) error {
	dir := filepath.Dir(path)
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	cleanup := func() { tmp.Close(); os.Remove(tmp.Name()) }
	if _, err := tmp.Write(data); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Sync(); err != nil {
		cleanup()
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if d, err := os.Open(dir); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}
