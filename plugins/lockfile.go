package plugins

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/gohcl"
	"github.com/hashicorp/hcl/v2/hclparse"
)

// LockFileName is the lock file in a configuration directory. comfyhcl maintains it;
// users commit it.
const LockFileName = ".comfyhcl.lock.hcl"

// LockFile is .comfyhcl.lock.hcl: what `init` and `apply` pinned, so that the next run
// (another machine, CI) gets the same provider binaries, model bytes and node packs.
//
//	provider "acme/pool" { version = "1.0.2"  constraints = "~> 1.0"  hashes = ["sha256:…"] }
//	model "https://…/sd_xl_base_1.0.safetensors" { sha256 = "31e3…"  size = 6938078334 }
//	node "comfyui-impact-pack" { version = "8.8.1" }
//	node "https://github.com/ltdrdata/ComfyUI-Impact-Pack" { commit = "a1b2…" }
type LockFile struct {
	Providers map[string]*LockedProvider // by source address
	Models    map[string]*LockedModel    // by download source (URL)
	Nodes     map[string]*LockedNode     // by registry id or git URL
}

// LockedProvider pins a provider binary. Hashes are "sha256:<hex>" of the binary, one
// per platform the project has been initialised on.
type LockedProvider struct {
	Source      string   `hcl:"source,label"`
	Version     string   `hcl:"version"`
	Constraints string   `hcl:"constraints,optional"`
	Hashes      []string `hcl:"hashes,optional"`
}

// LockedModel pins a model file's content by its source.
type LockedModel struct {
	Source string `hcl:"source,label"`
	SHA256 string `hcl:"sha256"`
	Size   int64  `hcl:"size,optional"`
}

// LockedNode pins a node pack: a Comfy Registry version or a git commit.
type LockedNode struct {
	ID      string `hcl:"id,label"`
	Version string `hcl:"version,optional"`
	Commit  string `hcl:"commit,optional"`
}

type lockFileHCL struct {
	Providers []*LockedProvider `hcl:"provider,block"`
	Models    []*LockedModel    `hcl:"model,block"`
	Nodes     []*LockedNode     `hcl:"node,block"`
}

// NewLockFile returns an empty lock file.
func NewLockFile() *LockFile {
	return &LockFile{Providers: map[string]*LockedProvider{}, Models: map[string]*LockedModel{}, Nodes: map[string]*LockedNode{}}
}

// LoadLockFile reads a lock file; a missing file is an empty lock file. Errors are HCL
// diagnostics pointing into the file.
func LoadLockFile(path string) (*LockFile, hcl.Diagnostics) {
	lf := NewLockFile()
	src, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return lf, nil
	}
	if err != nil {
		return lf, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the lock file", Detail: err.Error()}}
	}
	f, diags := hclparse.NewParser().ParseHCL(src, path)
	if diags.HasErrors() {
		return lf, diags
	}
	var raw lockFileHCL
	diags = append(diags, gohcl.DecodeBody(f.Body, nil, &raw)...)
	for _, p := range raw.Providers {
		lf.Providers[p.Source] = p
	}
	for _, m := range raw.Models {
		lf.Models[m.Source] = m
	}
	for _, n := range raw.Nodes {
		lf.Nodes[n.ID] = n
	}
	if diags.HasErrors() {
		for i := range diags {
			diags[i].Detail += fmt.Sprintf(" %s is written by comfyhcl init; fix the line or delete the file and run init again.", LockFileName)
		}
	}
	return lf, diags
}

// Provider returns the pin of a provider source, if any.
func (l *LockFile) Provider(source string) (*LockedProvider, bool) {
	p, ok := l.Providers[source]
	return p, ok
}

// SetProvider records (or replaces) a provider pin.
func (l *LockFile) SetProvider(p LockedProvider) { l.Providers[p.Source] = &p }

// Model returns the pin of a model source, if any.
func (l *LockFile) Model(source string) (*LockedModel, bool) {
	m, ok := l.Models[source]
	return m, ok
}

// SetModel records (or replaces) a model pin.
func (l *LockFile) SetModel(m LockedModel) { l.Models[m.Source] = &m }

// Node returns the pin of a node pack, if any.
func (l *LockFile) Node(id string) (*LockedNode, bool) {
	n, ok := l.Nodes[id]
	return n, ok
}

// SetNode records (or replaces) a node pack pin.
func (l *LockFile) SetNode(n LockedNode) { l.Nodes[n.ID] = &n }

// HasHash reports whether hash ("sha256:<hex>") is one of the pinned hashes.
func (p *LockedProvider) HasHash(hash string) bool {
	for _, h := range p.Hashes {
		if h == hash {
			return true
		}
	}
	return false
}

// FileHash returns "sha256:<hex>" of a file's content, the form lock files record.
func FileHash(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return "sha256:" + hex.EncodeToString(h.Sum(nil)), nil
}
