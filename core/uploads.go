package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// Upload is a local file a render needs in the server's input folder.
type Upload struct {
	Path   string // absolute local path
	SHA256 string
	// Name is what the graph refers to: content-addressed, so a changed file is a new
	// name (and a new inputs hash) and an unchanged one is reused by the server.
	Name string
}

type uploadSet struct {
	files  map[string]Upload // by Name
	names  map[string]bool
	byParm []workflow.Param
}

func (u uploadSet) params() []workflow.Param { return u.byParm }

// evaluateUploads reads the uploads map (param -> local path), hashes each file and
// gives the param the content-addressed name the file will have on the server.
func evaluateUploads(r *lang.Render, scope *lang.Scope) (uploadSet, hcl.Diagnostics) {
	set := uploadSet{files: map[string]Upload{}, names: map[string]bool{}}
	if r.Uploads == nil {
		return set, nil
	}
	pairs, diags := hcl.ExprMap(r.Uploads)
	for _, p := range pairs {
		k, kd := scope.Eval(p.Key, cty.String)
		v, vd := scope.Eval(p.Value, cty.String)
		diags = append(diags, kd...)
		diags = append(diags, vd...)
		if kd.HasErrors() || vd.HasErrors() || v.IsNull() {
			continue
		}
		k, _ = k.Unmark()
		v, _ = v.Unmark()
		rng := p.Value.Range()
		path := v.AsString()
		if !filepath.IsAbs(path) {
			path = filepath.Join(scope.BaseDir, path)
		}
		sum, err := fileSHA256(path)
		if err != nil {
			diags = append(diags, errDiag("Cannot read upload", fmt.Sprintf("%v. uploads maps a LoadImage-like param to a local file, relative to the configuration.", err), &rng))
			continue
		}
		up := Upload{Path: path, SHA256: sum, Name: fmt.Sprintf("comfyhcl_%.12s_%s", sum, filepath.Base(path))}
		set.files[up.Name] = up
		set.names[up.Name] = true
		set.byParm = append(set.byParm, workflow.Param{Name: k.AsString(), Value: up.Name, Range: hcl.RangeBetween(p.Key.Range(), rng)})
	}
	return set, diags
}

func fileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// uploadAll sends a render's files and returns the graph JSON to submit, rewritten where
// the server stored a file under another name.
func uploadAll(ctx context.Context, p plugins.Provider, inst *RenderInstance) ([]byte, plugins.Diagnostics) {
	if len(inst.Uploads) == 0 {
		return inst.GraphJSON, nil
	}
	renamed := map[string]string{}
	for _, name := range sortedNames(inst.Uploads) {
		up := inst.Uploads[name]
		res, diags := p.Upload(ctx, plugins.UploadRequest{Path: up.Path, Name: up.Name})
		if diags.HasErrors() {
			return nil, diags
		}
		stored := res.Name
		if res.Subfolder != "" {
			stored = res.Subfolder + "/" + res.Name
		}
		if stored != up.Name {
			renamed[up.Name] = stored
		}
	}
	if len(renamed) == 0 {
		return inst.GraphJSON, nil
	}
	g := inst.Graph.Clone()
	for _, n := range g {
		for k, v := range n.Inputs {
			if s, ok := v.(string); ok && renamed[s] != "" {
				n.Inputs[k] = renamed[s]
			}
		}
	}
	return g.CanonicalJSON(), nil
}
