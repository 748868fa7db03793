package core

import (
	"context"
	"fmt"

	"github.com/comfyhcl/comfyhcl/core/planfile"
	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/hashicorp/hcl/v2"
)

// configHash fingerprints the configuration a plan was made from.
func (e *Engine) configHash() string {
	files := map[string][]byte{}
	for name, f := range e.opts.Config.Files {
		files[name] = f.Bytes
	}
	return planfile.ConfigHash(files)
}

// SavePlan writes p to path for a later `apply FILE`.
func (e *Engine) SavePlan(path, toolVersion string, p *Plan) error {
	f := &planfile.File{ToolVersion: toolVersion, PriorLineage: p.PriorLineage, PriorSerial: p.PriorSerial, ConfigHash: e.configHash()}
	for _, ch := range p.Changes {
		rec := planfile.Change{Kind: ch.Kind(), Address: ch.Address, Action: string(ch.Action), Reason: ch.Reason,
			Provider: ch.Provider, DependsOn: ch.DependsOn, Prior: ch.Prior}
		if i := ch.Instance; i != nil {
			rec.Render = &planfile.Render{Render: i.Render, Key: i.Key, Graph: i.GraphJSON, InputsHash: i.InputsHash, OutputDir: i.OutputDir, Flat: i.Flat, Seeds: i.Seeds}
			for name, up := range i.Uploads {
				if rec.Render.Uploads == nil {
					rec.Render.Uploads = map[string]planfile.Upload{}
				}
				rec.Render.Uploads[name] = planfile.Upload{Path: up.Path, SHA256: up.SHA256}
			}
		}
		if m := ch.Model; m != nil {
			rec.Model = &planfile.Model{Name: m.Name, Spec: m.Spec, Server: m.Server}
		}
		if n := ch.Node; n != nil {
			rec.Node = &planfile.Node{Name: n.Name, Spec: n.Spec, Server: n.Server}
		}
		f.Changes = append(f.Changes, rec)
	}
	return planfile.Write(path, f)
}

// LoadPlan reads a saved plan and prepares it for Apply: it refuses a plan made from a
// different configuration, starts the providers it needs and restores the secrets (model
// headers) the file does not hold. Apply itself refuses a plan whose state moved on.
func (e *Engine) LoadPlan(ctx context.Context, path string) (*Plan, hcl.Diagnostics) {
	f, err := planfile.Read(path)
	if err != nil {
		return nil, hcl.Diagnostics{errDiag("Cannot read the saved plan", err.Error(), nil)}
	}
	if f.ConfigHash != e.configHash() {
		return nil, hcl.Diagnostics{errDiag("Saved plan is stale",
			fmt.Sprintf("%s was made from a different configuration (the *.comfy.hcl files changed since). Run plan -out again.", path), nil)}
	}
	ev, diags := e.evaluate()
	if diags.HasErrors() {
		return nil, diags
	}
	p := &Plan{PriorLineage: f.PriorLineage, PriorSerial: f.PriorSerial}
	for _, rec := range f.Changes {
		ch := &Change{Address: rec.Address, Action: Action(rec.Action), Reason: rec.Reason, Provider: rec.Provider,
			DependsOn: rec.DependsOn, Prior: rec.Prior}
		if r := rec.Render; r != nil {
			g, _, gdiags := workflow.Load(path, r.Graph, nil)
			if gdiags.HasErrors() {
				return nil, append(diags, gdiags...)
			}
			decl := hcl.Range{}
			if rb := e.opts.Config.Renders[r.Render]; rb != nil {
				decl = rb.DeclRange
			}
			ch.Instance = &RenderInstance{Address: rec.Address, Render: r.Render, Key: r.Key, Provider: rec.Provider, Graph: g,
				GraphJSON: r.Graph, InputsHash: r.InputsHash, OutputDir: r.OutputDir, Flat: r.Flat, DeclRange: decl, Seeds: r.Seeds}
			for name, up := range r.Uploads {
				if sum, err := fileSHA256(up.Path); err != nil || sum != up.SHA256 {
					return nil, append(diags, errDiag("Saved plan is stale", fmt.Sprintf("upload %s changed or vanished since the plan was made. Run plan -out again.", up.Path), nil))
				}
				if ch.Instance.Uploads == nil {
					ch.Instance.Uploads = map[string]Upload{}
				}
				ch.Instance.Uploads[name] = Upload{Path: up.Path, SHA256: up.SHA256, Name: name}
			}
		}
		if m := rec.Model; m != nil {
			ch.Model = &ModelChange{Name: m.Name, Spec: m.Spec, Server: m.Server}
			if mv := ev.models[m.Name]; mv != nil {
				ch.Model.Spec.Headers, ch.Model.DeclRange = mv.Headers, mv.DeclRange
			}
		}
		if n := rec.Node; n != nil {
			ch.Node = &NodeChange{Name: n.Name, Spec: n.Spec, Server: n.Server}
			if nb := e.opts.Config.Nodes[n.Name]; nb != nil {
				ch.Node.DeclRange = nb.DeclRange
			}
		}
		if ch.Action != ActionNoOp && ch.Action != ActionDelete {
			if _, pdiags := e.provider(ctx, ch.Provider, ev.scope); pdiags.HasErrors() {
				return nil, append(diags, pdiags...)
			}
		}
		p.Changes = append(p.Changes, ch)
	}
	return p, diags
}
