package core

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// RunSpec is the imperative one-shot `comfyhcl run`: one workflow, parameters, and how
// to expand it into instances. No state file is read or written.
type RunSpec struct {
	Graph     workflow.Graph
	Catalogue *workflow.ObjectInfo // optional; with it every value is checked before submit
	Params    []workflow.Param     // for every instance; string values take the type of the input they set
	// InputImages are uploaded once before anything is submitted; each sets its
	// param to the name the server stored the file under.
	InputImages   []InputImage
	Count         int         // instances per sweep point (default 1)
	Sweep         []SweepAxis // cartesian product of the axes
	RandomizeSeed bool        // a fresh random seed per instance
	// OutputDir (absolute) receives the outputs; with several instances each gets a
	// subdirectory named after its index.
	OutputDir       string
	Flat            bool
	Parallel        int // renders in flight at once (default 1)
	ContinueOnError bool

	uploaded map[string]bool // references of InputImages, valid COMBO values once uploaded
}

// InputImage is a local file for an upload-kind parameter (LoadImage's image).
type InputImage struct {
	Param string
	Path  string
}

// SweepAxis is one swept parameter and its values.
type SweepAxis struct {
	Name   string
	Values []any
}

// RunInstance is one expanded graph.
type RunInstance struct {
	Index     int
	Address   string           // run, or run[3] when there are several
	Varying   []workflow.Param // the values that differ between instances (sweep, seeds)
	GraphJSON []byte
	OutputDir string // absolute
}

// Run statuses beyond the state package's succeeded/failed.
const (
	RunSucceeded   = "succeeded"
	RunFailed      = "failed"
	RunInterrupted = "interrupted"
	RunSkipped     = "skipped" // never submitted: an earlier failure or Ctrl-C stopped the run
)

// RunResult is how one instance ended.
type RunResult struct {
	Instance *RunInstance
	Status   string
	PromptID string
	Outputs  []plugins.OutputFile // paths relative to RunSpec.OutputDir, forward slashes
	Error    *plugins.ExecutionError
	Diags    hcl.Diagnostics
	Duration time.Duration
}

// Run expands spec, uploads its input images, then submits, watches and fetches every
// instance with at most spec.Parallel in flight. Without ContinueOnError the first
// failure stops new submissions (in-flight ones finish). Ctrl-C (ctx) cancels what is in
// flight on the server. The returned diagnostics are those that stopped the run before
// any submit; per-instance problems are in the results.
func Run(ctx context.Context, p plugins.Provider, spec RunSpec, hooks Hooks) ([]RunResult, hcl.Diagnostics) {
	if hooks == nil {
		hooks = NoHooks{}
	}
	params := append([]workflow.Param(nil), spec.Params...)
	spec.uploaded = map[string]bool{}
	for _, in := range spec.InputImages {
		res, pd := p.Upload(ctx, plugins.UploadRequest{Path: in.Path})
		if pd.HasErrors() {
			return nil, providerDiags(pd, hcl.Range{})
		}
		ref := uploadReference(res)
		spec.uploaded[ref] = true
		params = append(params, workflow.Param{Name: in.Param, Value: ref})
	}
	spec.Params = params
	insts, diags := ExpandRun(spec)
	if diags.HasErrors() {
		return nil, diags
	}
	results := make([]RunResult, len(insts))
	for i, inst := range insts {
		results[i] = RunResult{Instance: inst, Status: RunSkipped}
	}
	sem := make(chan struct{}, max(spec.Parallel, 1))
	var wg sync.WaitGroup
	var mu sync.Mutex
	stopped := false
	for i := range insts {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
		}
		mu.Lock()
		stop := stopped || ctx.Err() != nil
		mu.Unlock()
		if stop {
			break // the rest stay skipped
		}
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			defer func() { <-sem }()
			r := runInstance(ctx, p, spec, insts[i], hooks)
			mu.Lock()
			results[i] = r
			if r.Status != RunSucceeded && !spec.ContinueOnError {
				stopped = true
			}
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	return results, diags
}

func uploadReference(r plugins.UploadResult) string {
	ref := r.Name
	if r.Subfolder != "" {
		ref = r.Subfolder + "/" + r.Name
	}
	if r.Type != "" && r.Type != "input" {
		ref += " [" + r.Type + "]"
	}
	return ref
}

func runInstance(ctx context.Context, p plugins.Provider, spec RunSpec, inst *RunInstance, hooks Hooks) RunResult {
	start := time.Now()
	r := RunResult{Instance: inst, Status: RunFailed}
	finish := func() RunResult {
		r.Duration = time.Since(start)
		hooks.RenderFinished(inst.Address, RenderResult{Status: r.Status, PromptID: r.PromptID, Outputs: r.Outputs, Error: r.Error})
		return r
	}
	res, pd := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: inst.GraphJSON, Instance: inst.Address})
	r.Diags = providerDiags(pd, hcl.Range{})
	if pd.HasErrors() {
		if ctx.Err() != nil {
			r.Status = RunInterrupted
		}
		return finish()
	}
	r.PromptID = res.PromptID
	hooks.RenderSubmitted(inst.Address, r.PromptID)
	wd := p.Watch(ctx, plugins.WatchRequest{PromptID: r.PromptID}, func(ev plugins.Event) { hooks.RenderEvent(inst.Address, ev) })
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		p.Cancel(cctx, r.PromptID)
		cancel()
		r.Status = RunInterrupted
		return finish()
	}
	r.Diags = append(r.Diags, providerDiags(wd, hcl.Range{})...)
	if wd.HasErrors() {
		return finish()
	}
	if err := os.MkdirAll(inst.OutputDir, 0o755); err != nil {
		r.Diags = append(r.Diags, errDiag("Cannot create the output directory", err.Error(), nil))
		return finish()
	}
	fr, fd := p.Fetch(ctx, plugins.FetchRequest{PromptID: r.PromptID, OutputDir: inst.OutputDir, Flat: spec.Flat})
	r.Diags = append(r.Diags, providerDiags(fd, hcl.Range{})...)
	r.Error = fr.Error
	rel, _ := filepath.Rel(spec.OutputDir, inst.OutputDir)
	for _, f := range fr.Files {
		f.Path = filepath.ToSlash(filepath.Join(rel, filepath.FromSlash(f.Path)))
		r.Outputs = append(r.Outputs, f)
	}
	switch {
	case fd.HasErrors():
	case fr.Status == plugins.JobSucceeded:
		r.Status = RunSucceeded
	case fr.Status == plugins.JobInterrupted:
		r.Status = RunInterrupted
	}
	return finish()
}

// ExpandRun turns spec into its instances: the cartesian product of the sweep axes,
// each Count times. Seeds are drawn at random with RandomizeSeed; otherwise repeated
// instances (Count > 1) get seed+i so that they differ. Every instance is injected and
// checked before anything runs.
func ExpandRun(spec RunSpec) ([]*RunInstance, hcl.Diagnostics) {
	count := max(spec.Count, 1)
	schema, err := workflow.ExtractSchema(spec.Graph, spec.Catalogue)
	if err != nil {
		return nil, hcl.Diagnostics{errDiag("Invalid workflow", err.Error()+".", nil)}
	}
	explicit := map[string]bool{}
	for _, p := range spec.Params {
		explicit[p.Name] = true
	}
	for _, a := range spec.Sweep {
		explicit[a.Name] = true
	}
	var seeds []*workflow.SchemaParam
	for _, sp := range schema.ByKind(workflow.KindSeed) {
		if !explicit[sp.Name] && !explicit[sp.NodeID+"."+sp.Input] {
			seeds = append(seeds, sp)
		}
	}
	opts := workflow.Options{Pending: func(v string) bool { return spec.uploaded[v] }}
	base, diags := workflow.InjectWith(spec.Graph, typedParams(spec.Graph, schema, spec.Params), spec.Catalogue, opts)
	if diags.HasErrors() {
		return nil, diags
	}
	points := sweepPoints(spec.Sweep)
	total := len(points) * count
	var out []*RunInstance
	for _, point := range points {
		for c := 0; c < count; c++ {
			inst := &RunInstance{Index: len(out), Address: "run", OutputDir: spec.OutputDir}
			if total > 1 {
				inst.Address = fmt.Sprintf("run[%d]", inst.Index)
				inst.OutputDir = filepath.Join(spec.OutputDir, fmt.Sprintf("%03d", inst.Index))
			}
			inst.Varying = append(inst.Varying, point...)
			for _, sp := range seeds {
				switch {
				case spec.RandomizeSeed:
					inst.Varying = append(inst.Varying, workflow.Param{Name: sp.Name, Value: rand.Int64N(1 << 50)})
				case count > 1:
					b, _ := strconv.ParseInt(fmt.Sprint(sp.Value), 10, 64)
					inst.Varying = append(inst.Varying, workflow.Param{Name: sp.Name, Value: b + int64(c)})
				}
			}
			inst.Varying = typedParams(spec.Graph, schema, inst.Varying)
			g, idiags := workflow.InjectWith(base, inst.Varying, spec.Catalogue, opts)
			for _, d := range idiags {
				d.Detail = inst.Address + " (" + DescribeParams(inst.Varying) + "): " + d.Detail
			}
			diags = append(diags, idiags...)
			inst.GraphJSON = g.CanonicalJSON()
			out = append(out, inst)
		}
	}
	if diags.HasErrors() {
		return nil, diags
	}
	return out, diags
}

// sweepPoints is the cartesian product of the axes, first axis outermost.
func sweepPoints(axes []SweepAxis) [][]workflow.Param {
	points := [][]workflow.Param{nil}
	for _, a := range axes {
		var next [][]workflow.Param
		for _, p := range points {
			for _, v := range a.Values {
				q := append(append([]workflow.Param(nil), p...), workflow.Param{Name: a.Name, Value: v})
				next = append(next, q)
			}
		}
		points = next
	}
	return points
}

// typedParams converts string values to the type of the literal they replace, so that
// `-param steps=30` sets a number and `-param prompt=42` stays text.
func typedParams(g workflow.Graph, s *workflow.Schema, params []workflow.Param) []workflow.Param {
	out := make([]workflow.Param, len(params))
	for i, p := range params {
		out[i] = p
		str, ok := p.Value.(string)
		if !ok {
			continue
		}
		var cur any
		if sp, found := s.Lookup(p.Name); found {
			cur = sp.Value
		} else if id, input, cut := strings.Cut(p.Name, "."); cut && g[id] != nil {
			cur = g[id].Inputs[input]
		}
		switch cur.(type) {
		case json.Number, float64, int, int64:
			if _, err := strconv.ParseFloat(strings.TrimSpace(str), 64); err == nil {
				out[i].Value = json.Number(strings.TrimSpace(str))
			}
		case bool:
			if b, err := strconv.ParseBool(str); err == nil {
				out[i].Value = b
			}
		}
	}
	return out
}

// DescribeParams renders params as "name=value, ..." in their order.
func DescribeParams(ps []workflow.Param) string {
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = fmt.Sprintf("%s=%v", p.Name, p.Value)
	}
	return strings.Join(parts, ", ")
}

// ParseSweep reads -sweep's 'name=a,b;name2=c,d' into axes (values stay strings and take
// the input's type when injected).
func ParseSweep(s string) ([]SweepAxis, error) {
	var axes []SweepAxis
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, vals, ok := strings.Cut(part, "=")
		name = strings.TrimSpace(name)
		if !ok || name == "" || strings.TrimSpace(vals) == "" {
			return nil, fmt.Errorf("%q: write each axis as name=value1,value2 and separate axes with ';'", part)
		}
		axis := SweepAxis{Name: name}
		for _, v := range strings.Split(vals, ",") {
			axis.Values = append(axis.Values, strings.TrimSpace(v))
		}
		axes = append(axes, axis)
	}
	return axes, nil
}

// LoadRunWorkflow reads a workflow file (API or UI format) with the server's node
// catalogue, which converts UI workflows and lets every value be checked before submit.
func LoadRunWorkflow(ctx context.Context, p plugins.Provider, path string) (workflow.Graph, *workflow.ObjectInfo, hcl.Diagnostics) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, hcl.Diagnostics{errDiag("Cannot read the workflow", err.Error(), nil)}
	}
	inv, pd := p.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true})
	diags := providerDiags(pd, hcl.Range{})
	if pd.HasErrors() {
		return nil, nil, diags
	}
	cat, err := workflow.ParseObjectInfo(inv.ObjectInfoJSON)
	if err != nil {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Cannot read the server's node catalogue",
			Detail: err.Error() + "; values are not checked before submit."})
		cat = nil
	}
	g, _, ldiags := workflow.Load(path, data, cat)
	return g, cat, append(diags, ldiags...)
}
