package planfile

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"sort"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// FormatVersion is bumped when the shape changes; older binaries refuse newer files.
const FormatVersion = 1

// File is a saved plan.
type File struct {
	FormatVersion int      `json:"format_version"`
	ToolVersion   string   `json:"tool_version"`
	PriorLineage  string   `json:"prior_lineage"`
	PriorSerial   int64    `json:"prior_serial"`
	ConfigHash    string   `json:"config_hash"`
	Changes       []Change `json:"changes"`
}

// Change is one planned change in a form that survives a round trip through JSON.
type Change struct {
	Kind      string                `json:"kind"`
	Address   string                `json:"address"`
	Action    string                `json:"action"`
	Reason    string                `json:"reason,omitempty"`
	Provider  string                `json:"provider"`
	DependsOn []string              `json:"depends_on,omitempty"`
	Render    *Render               `json:"render,omitempty"`
	Prior     *state.RenderInstance `json:"prior,omitempty"`
	Model     *Model                `json:"model,omitempty"`
	Node      *Node                 `json:"node,omitempty"`
}

// Render is a render instance's final graph and identity.
type Render struct {
	Render     string            `json:"render"`
	Key        string            `json:"key,omitempty"`
	Graph      json.RawMessage   `json:"graph"`
	InputsHash string            `json:"inputs_hash"`
	OutputDir  string            `json:"output_dir"`
	Flat       bool              `json:"flat,omitempty"`
	Seeds      map[string]uint64 `json:"seeds,omitempty"`
	Uploads    map[string]Upload `json:"uploads,omitempty"`
}

// Upload is a local file a render uploads before it runs.
type Upload struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Model is a model change without its headers: they are secrets and are evaluated again
// from the configuration at apply time.
type Model struct {
	Name   string            `json:"name"`
	Spec   plugins.ModelSpec `json:"spec"`
	Server plugins.ModelPlan `json:"server"`
}

// Node is a node pack change.
type Node struct {
	Name   string           `json:"name"`
	Spec   plugins.NodeSpec `json:"spec"`
	Server plugins.NodePlan `json:"server"`
}

// Write saves f at path with mode 0600, atomically.
func Write(path string, f *File) error {
	f.FormatVersion = FormatVersion
	for i := range f.Changes {
		if m := f.Changes[i].Model; m != nil {
			m.Spec.Headers = nil
		}
	}
	// Compact: indenting would rewrite the embedded graphs, which must stay byte for byte.
	data, err := json.Marshal(f)
	if err != nil {
		return err
	}
	return state.WriteFileAtomic(path, append(data, '\n'), 0o600)
}

// Read loads a saved plan.
func Read(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f File
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%s is not a comfyhcl plan file: %v", path, err)
	}
	if f.FormatVersion == 0 || f.FormatVersion > FormatVersion {
		return nil, fmt.Errorf("%s has plan format %d; this comfyhcl reads format %d: make the plan with the same comfyhcl version", path, f.FormatVersion, FormatVersion)
	}
	return &f, nil
}

// ConfigHash fingerprints the configuration files by name and content.
func ConfigHash(files map[string][]byte) string {
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(files[n]))
		h.Write(files[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}
