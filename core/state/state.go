package state

import (
	"crypto/rand"
	"encoding/hex"
	"sort"
	"time"
)

// FormatVersion is bumped when the file's shape changes incompatibly.
const FormatVersion = 1

// State is the whole of comfyhcl.state.json.
type State struct {
	FormatVersion int    `json:"format_version"`
	Lineage       string `json:"lineage"`
	// Serial counts real changes; saving an unchanged state does not bump it.
	Serial    int64                     `json:"serial"`
	Providers map[string]*ProviderState `json:"providers"`
}

// ProviderState is what one provider configuration ("local", "local.gpu2") holds.
type ProviderState struct {
	Models  map[string]*Model          `json:"models,omitempty"`
	Nodes   map[string]*NodePack       `json:"nodes,omitempty"`
	Renders map[string]*RenderInstance `json:"renders,omitempty"`
}

// Model is a model file comfyhcl downloaded or adopted.
type Model struct {
	Folder  string `json:"folder"`
	File    string `json:"file"`
	SHA256  string `json:"sha256,omitempty"`
	Size    int64  `json:"size,omitempty"`
	Source  string `json:"source,omitempty"`
	Adopted bool   `json:"adopted,omitempty"`
}

// NodePack is a custom node pack comfyhcl installed.
type NodePack struct {
	Registry string `json:"registry,omitempty"`
	Version  string `json:"version,omitempty"`
	Git      string `json:"git,omitempty"`
	Commit   string `json:"commit,omitempty"`
}

// RenderInstance is one finished (or failed) run of a render instance.
type RenderInstance struct {
	Address    string            `json:"address"`
	InputsHash string            `json:"inputs_hash"`
	PromptID   string            `json:"prompt_id,omitempty"`
	Status     string            `json:"status"`
	OutputDir  string            `json:"output_dir"`
	Seeds      map[string]uint64 `json:"seeds,omitempty"`
	Outputs    []Output          `json:"outputs,omitempty"`
	Submitted  time.Time         `json:"submitted,omitempty"`
	Finished   time.Time         `json:"finished,omitempty"`
}

// Output is one file a render wrote; Path is relative to the config directory.
type Output struct {
	NodeID    string `json:"node_id,omitempty"`
	Path      string `json:"path"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	MediaType string `json:"media_type,omitempty"`
}

// Render instance statuses.
const (
	StatusSucceeded = "succeeded"
	StatusFailed    = "failed"
	// StatusInterrupted: the user cancelled the run; the next apply submits it again.
	StatusInterrupted = "interrupted"
	// StatusSubmitted marks an instance whose job is on the server but not yet fetched:
	// a later apply re-attaches to PromptID instead of submitting again.
	StatusSubmitted = "submitted"
)

// New returns an empty state with a fresh lineage.
func New() *State {
	return &State{FormatVersion: FormatVersion, Lineage: newLineage(), Providers: map[string]*ProviderState{}}
}

// Provider returns the state of one provider configuration, creating it if needed.
func (s *State) Provider(addr string) *ProviderState {
	if s.Providers == nil {
		s.Providers = map[string]*ProviderState{}
	}
	p := s.Providers[addr]
	if p == nil {
		p = &ProviderState{}
		s.Providers[addr] = p
	}
	if p.Models == nil {
		p.Models = map[string]*Model{}
	}
	if p.Nodes == nil {
		p.Nodes = map[string]*NodePack{}
	}
	if p.Renders == nil {
		p.Renders = map[string]*RenderInstance{}
	}
	return p
}

// RenderAddresses lists every render instance address in the state, sorted, with the
// provider each belongs to.
func (s *State) RenderAddresses() []string {
	var out []string
	for _, p := range s.Providers {
		for addr := range p.Renders {
			out = append(out, addr)
		}
	}
	sort.Strings(out)
	return out
}

// FindRender looks a render instance up by address in any provider.
func (s *State) FindRender(addr string) (*RenderInstance, string) {
	for paddr, p := range s.Providers {
		if r, ok := p.Renders[addr]; ok {
			return r, paddr
		}
	}
	return nil, ""
}

func newLineage() string {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("state: no randomness for a lineage: " + err.Error())
	}
	return hex.EncodeToString(b[:])
}
