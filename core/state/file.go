package state

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
// bumping Serial; an unchanged state leaves the file (and Serial) alone.
func Save(path string, s *State) error {
	prev, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("reading state before saving: %w", err)
	}
	if prev != nil {
		var old State
		if json.Unmarshal(prev, &old) == nil && sameContent(&old, s) {
			return nil
		}
	}
	s.Serial++
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		s.Serial--
		return err
	}
	if prev != nil {
		if err := WriteFileAtomic(path+".backup", prev, 0o644); err != nil {
			s.Serial--
			return err
		}
	}
	if err := WriteFileAtomic(path, append(data, '\n'), 0o644); err != nil {
		s.Serial--
		return err
	}
	return nil
}

func sameContent(a, b *State) bool {
	ca, cb := *a, *b
	ca.Serial, cb.Serial = 0, 0
	ja, err1 := json.Marshal(ca)
	jb, err2 := json.Marshal(cb)
	return err1 == nil && err2 == nil && bytes.Equal(ja, jb)
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
