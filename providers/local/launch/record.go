package launch

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// RecordFile is the name of the launch record inside the workspace.
const RecordFile = ".comfyhcl-launch.json"

// Record is what comfyhcl launched, so later runs can recognise, stop or restart it. It
// holds no environment and no secrets.
type Record struct {
	FormatVersion int       `json:"format_version"`
	PID           int       `json:"pid"` // also the process group (the server runs in its own session)
	Listen        string    `json:"listen"`
	Port          int       `json:"port"`
	URL           string    `json:"url"`
	Workspace     string    `json:"workspace"`
	LogPath       string    `json:"log_path"`
	Command       []string  `json:"command"`
	StartedAt     time.Time `json:"started_at"`
	// ProcessStart is when the OS says PID started (Linux); a live PID that started at
	// another time is someone else's process that reused the number.
	ProcessStart *time.Time `json:"process_start,omitempty"`
}

// RecordPath is where the record of workspace lives.
func RecordPath(workspace string) string { return filepath.Join(workspace, RecordFile) }

// LoadRecord reads the workspace's record; (nil, nil) when there is none.
func LoadRecord(workspace string) (*Record, error) {
	data, err := os.ReadFile(RecordPath(workspace))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var r Record
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("%s is not a launch record (%v): delete it if no server runs from this workspace", RecordPath(workspace), err)
	}
	return &r, nil
}

// Save writes the record atomically (temp file, fsync, rename).
func (r *Record) Save() error {
	r.FormatVersion = 1
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	path := RecordPath(r.Workspace)
	tmp, err := os.CreateTemp(filepath.Dir(path), RecordFile+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(append(data, '\n')); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Alive reports whether the recorded process still exists (and is the same process).
func (r *Record) Alive() bool {
	if r == nil || r.PID <= 0 || !processAlive(r.PID) {
		return false
	}
	if r.ProcessStart == nil {
		return true
	}
	now, ok := processStart(r.PID)
	if !ok {
		return true
	}
	d := now.Sub(*r.ProcessStart)
	return d > -2*time.Second && d < 2*time.Second
}

func itoa(n int) string { return strconv.Itoa(n) }
