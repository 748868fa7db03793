package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// RenderInstance is one run a render block asks for, with its final graph.
type RenderInstance struct {
	Address    string // render.hero or render.hero["#1"]
	Render     string
	Key        string // "" for a render without count or sweep
	Provider   string
	Graph      workflow.Graph
	GraphJSON  []byte
	InputsHash string
	// OutputDir is relative to the configuration directory, with forward slashes.
	OutputDir string
	Flat      bool
	DeclRange hcl.Range
	// Seeds are the seed values by param name, drawn ones included; state records them.
	Seeds map[string]uint64
	// Uploads are local files to upload before submitting, by the value the graph uses.
	Uploads map[string]Upload
}

// buildRenders evaluates every render block into its instances.
func (e *Engine) buildRenders(ctx context.Context, ev *evaluated, st *state.State, pending func(string) bool) ([]*RenderInstance, hcl.Diagnostics) {
	var out []*RenderInstance
	var diags hcl.Diagnostics
	for _, name := range sortedNames(e.opts.Config.Renders) {
		insts, rdiags := e.buildRender(ctx, ev, st, e.opts.Config.Renders[name], pending)
		diags = append(diags, rdiags...)
		out = append(out, insts...)
	}
	return out, diags
}

func (e *Engine) buildRender(ctx context.Context, ev *evaluated, st *state.State, r *lang.Render, pending func(string) bool) ([]*RenderInstance, hcl.Diagnostics) {
	provAddr := "local"
	if r.Provider != nil {
		provAddr = r.Provider.Addr()
	}
	inv, diags := e.inventory(ctx, provAddr, ev.scope)
	if diags.HasErrors() {
		return nil, diags
	}
	graph, gdiags := e.loadWorkflow(r, ev.scope, inv.catalogue)
	diags = append(diags, gdiags...)
	if gdiags.HasErrors() {
		return nil, diags
	}
	spec, sdiags := e.renderSpec(r, ev.scope, st)
	diags = append(diags, sdiags...)
	uploads, udiags := evaluateUploads(r, ev.scope)
	diags = append(diags, udiags...)
	outDir, flat, odiags := renderOutput(r, ev.scope)
	diags = append(diags, odiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	spec.Params = append(spec.Params, uploads.params()...)
	schema, err := workflow.ExtractSchema(graph, inv.catalogue)
	if err != nil {
		return nil, append(diags, errDiag("Invalid workflow", err.Error(), rangePtr(r.Workflow.Range())))
	}
	expanded, xdiags := workflow.Expand(spec, schema)
	diags = append(diags, xdiags...)
	if xdiags.HasErrors() {
		return nil, diags
	}
	isPending := func(v string) bool { return uploads.names[v] || (pending != nil && pending(v)) }
	opts := workflow.Options{Pending: isPending}
	var out []*RenderInstance
	for _, x := range expanded {
		g, idiags := workflow.InjectWith(graph, x.Params, inv.catalogue, opts)
		diags = append(diags, idiags...)
		if idiags.HasErrors() {
			continue
		}
		vdiags := workflow.Validate(g, inv.catalogue, workflow.ValidateOptions{Options: opts, Params: x.Params, Workflow: r.Workflow.Range()})
		diags = append(diags, vdiags...)
		if vdiags.HasErrors() {
			continue
		}
		inst := &RenderInstance{Address: "render." + r.Name, Render: r.Name, Key: x.Key, Provider: provAddr,
			Graph: g, OutputDir: outDir, Flat: flat, DeclRange: r.DeclRange, Seeds: x.Seeds, Uploads: uploads.files}
		if x.Key != "" {
			inst.Address = fmt.Sprintf("render.%s[%q]", r.Name, x.Key)
			inst.OutputDir = outDir + "/" + x.Dir
		}
		inst.GraphJSON = g.CanonicalJSON()
		out = append(out, inst)
	}
	return out, diags
}

// renderSpec evaluates params, count, seed_mode and sweep, and brings back the seeds an
// earlier apply drew so that planning again changes nothing.
func (e *Engine) renderSpec(r *lang.Render, scope *lang.Scope, st *state.State) (workflow.RenderSpec, hcl.Diagnostics) {
	params, diags := evaluateParams(r.Params, scope)
	spec := workflow.RenderSpec{Params: params, Recorded: recordedSeeds(st, r.Name), Rand: e.opts.SeedSource}
	count, cdiags := renderCount(r, scope)
	diags = append(diags, cdiags...)
	spec.Count = count
	if r.SeedMode != nil {
		v, d := scope.Eval(r.SeedMode, cty.String)
		diags = append(diags, d...)
		if !d.HasErrors() && !v.IsNull() {
			v, _ = v.Unmark()
			spec.SeedMode, spec.SeedRange = v.AsString(), r.SeedMode.Range()
		}
	} else {
		spec.SeedRange = r.DeclRange
	}
	if r.Sweep != nil {
		pairs, d := hcl.ExprMap(r.Sweep)
		diags = append(diags, d...)
		for _, p := range pairs {
			k, kd := scope.Eval(p.Key, cty.String)
			v, vd := scope.Eval(p.Value, cty.DynamicPseudoType)
			diags = append(diags, kd...)
			diags = append(diags, vd...)
			if kd.HasErrors() || vd.HasErrors() {
				continue
			}
			rng := hcl.RangeBetween(p.Key.Range(), p.Value.Range())
			gv, err := goValue(v)
			list, ok := gv.([]any)
			if err != nil || !ok {
				diags = append(diags, errDiag("Invalid sweep", "each sweep entry is a list of values, e.g. cfg = [5, 7, 9].", &rng))
				continue
			}
			k, _ = k.Unmark()
			spec.Sweep = append(spec.Sweep, workflow.SweepAxis{Name: k.AsString(), Values: list, Range: rng})
		}
	}
	return spec, diags
}

// recordedSeeds collects the seeds state holds for a render's instances, by instance key.
func recordedSeeds(st *state.State, render string) map[string]map[string]uint64 {
	out := map[string]map[string]uint64{}
	prefix := "render." + render
	for _, addr := range st.RenderAddresses() {
		if addr != prefix && !strings.HasPrefix(addr, prefix+"[") {
			continue
		}
		ri, _ := st.FindRender(addr)
		if len(ri.Seeds) == 0 {
			continue
		}
		key := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(addr, prefix), `["`), `"]`)
		out[key] = ri.Seeds
	}
	return out
}

// loadWorkflow reads the workflow attribute: a path to a JSON file (API or UI format) or
// an inline object in API shape.
func (e *Engine) loadWorkflow(r *lang.Render, scope *lang.Scope, catalogue *workflow.ObjectInfo) (workflow.Graph, hcl.Diagnostics) {
	if r.Workflow == nil {
		return nil, hcl.Diagnostics{errDiag("Missing workflow", "A render needs `workflow`: a path to a workflow JSON file or an inline object.", rangePtr(r.DeclRange))}
	}
	v, diags := scope.Eval(r.Workflow, cty.DynamicPseudoType)
	if diags.HasErrors() {
		return nil, diags
	}
	v, _ = v.Unmark()
	rng := r.Workflow.Range()
	if v.Type() == cty.String {
		path := v.AsString()
		if !filepath.IsAbs(path) {
			path = filepath.Join(scope.BaseDir, path)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return nil, hcl.Diagnostics{errDiag("Cannot read workflow file", err.Error(), &rng)}
		}
		g, _, ldiags := workflow.Load(path, data, catalogue)
		return g, ldiags
	}
	gv, err := goValue(v)
	if err != nil {
		return nil, hcl.Diagnostics{errDiag("Invalid inline workflow", err.Error(), &rng)}
	}
	g, err := workflow.FromValue(gv)
	if err != nil {
		return nil, hcl.Diagnostics{errDiag("Invalid inline workflow", err.Error()+"\nAn inline workflow is an object in API format: { \"3\" = { class_type = \"KSampler\", inputs = { ... } } }.", &rng)}
	}
	return g, nil
}

// evaluateParams evaluates the params object entry by entry, keeping each entry's range
// so that an injection error points at its line.
func evaluateParams(expr hcl.Expression, scope *lang.Scope) ([]workflow.Param, hcl.Diagnostics) {
	if expr == nil {
		return nil, nil
	}
	pairs, diags := hcl.ExprMap(expr)
	if diags.HasErrors() {
		return nil, diags
	}
	var out []workflow.Param
	for _, p := range pairs {
		k, kd := scope.Eval(p.Key, cty.String)
		diags = append(diags, kd...)
		v, vd := scope.Eval(p.Value, cty.DynamicPseudoType)
		diags = append(diags, vd...)
		if kd.HasErrors() || vd.HasErrors() {
			continue
		}
		gv, err := goValue(v)
		rng := hcl.RangeBetween(p.Key.Range(), p.Value.Range())
		if err != nil {
			diags = append(diags, errDiag("Invalid parameter value", err.Error(), &rng))
			continue
		}
		k, _ = k.Unmark()
		out = append(out, workflow.Param{Name: k.AsString(), Value: gv, Range: rng})
	}
	return out, diags
}

func renderOutput(r *lang.Render, scope *lang.Scope) (string, bool, hcl.Diagnostics) {
	dir := "out/" + r.Name
	var diags hcl.Diagnostics
	if r.OutputDir != nil {
		v, d := scope.Eval(r.OutputDir, cty.String)
		diags = append(diags, d...)
		if !d.HasErrors() && !v.IsNull() {
			v, _ = v.Unmark()
			dir = v.AsString()
		}
	}
	clean := filepath.ToSlash(filepath.Clean(dir))
	if filepath.IsAbs(dir) || clean == ".." || strings.HasPrefix(clean, "../") {
		if r.OutputDir != nil {
			rng := r.OutputDir.Range()
			diags = append(diags, errDiag("Output directory outside the configuration",
				fmt.Sprintf("output_dir %q must be a relative path inside the configuration directory, so that state can track what comfyhcl wrote.", dir), &rng))
		}
	}
	flat := false
	if r.FlatOutput != nil {
		v, d := scope.Eval(r.FlatOutput, cty.Bool)
		diags = append(diags, d...)
		if !d.HasErrors() && !v.IsNull() {
			v, _ = v.Unmark()
			flat = v.True()
		}
	}
	return clean, flat, diags
}

func renderCount(r *lang.Render, scope *lang.Scope) (int, hcl.Diagnostics) {
	if r.Count == nil {
		return 1, nil
	}
	v, diags := scope.Eval(r.Count, cty.Number)
	if diags.HasErrors() {
		return 0, diags
	}
	v, _ = v.Unmark()
	n, acc := v.AsBigFloat().Int64()
	rng := r.Count.Range()
	if acc != 0 || n < 1 || n > 10000 {
		return 0, hcl.Diagnostics{errDiag("Invalid count", "count must be a whole number from 1 to 10000.", &rng)}
	}
	return int(n), nil
}

// inputsHash is a render instance's identity: the graph after params, where its outputs
// go, and the content of what it depends on (model hashes, node pack pins). The same hash
// with intact outputs means there is nothing to do.
func inputsHash(inst *RenderInstance, dependencies string) string {
	h := sha256.New()
	h.Write(inst.GraphJSON)
	fmt.Fprintf(h, "\noutput_dir=%s\nflat=%t\n%s", inst.OutputDir, inst.Flat, dependencies)
	return hex.EncodeToString(h.Sum(nil))
}

// dependencyFingerprint describes the content of a render's models and node packs.
func dependencyFingerprint(deps []string, estate []*Change) string {
	byAddr := map[string]*Change{}
	for _, ch := range estate {
		byAddr[ch.Address] = ch
	}
	var b strings.Builder
	for _, addr := range deps {
		ch := byAddr[addr]
		switch {
		case ch == nil:
		case ch.Model != nil:
			sum := ch.Model.Spec.SHA256
			if sum == "" {
				sum = ch.Model.Server.ActualSHA256
			}
			fmt.Fprintf(&b, "%s=%s\n", addr, sum)
		case ch.Node != nil:
			fmt.Fprintf(&b, "%s=%s%s@%s%s\n", addr, ch.Node.Spec.Registry, ch.Node.Spec.Git, ch.Node.Spec.Version, ch.Node.Spec.Ref)
		}
	}
	return b.String()
}
