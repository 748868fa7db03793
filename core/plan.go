package core

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"github.com/comfyhcl/comfyhcl/core/preflight"
	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/hashicorp/hcl/v2"
)

// Action is what a plan will do to one item.
type Action string

const (
	ActionNoOp    Action = "no-op"
	ActionCreate  Action = "create"
	ActionReplace Action = "replace"
	ActionDelete  Action = "delete"
	// ActionAdopt records a file or pack that is already there with the declared
	// content as managed, without touching it.
	ActionAdopt Action = "adopt"
	// ActionUpdate changes a node pack's version or commit in place.
	ActionUpdate Action = "update"
	// ActionResume re-attaches to a job a previous apply submitted but did not finish.
	ActionResume Action = "resume"
)

// Change is one planned action on a model, a node pack or a render instance.
type Change struct {
	Address  string
	Action   Action
	Reason   string
	Provider string
	// DependsOn lists the model and node addresses a render needs; when one of them
	// fails, the render is skipped and named.
	DependsOn []string

	Instance *RenderInstance       // renders; nil for deletes
	Prior    *state.RenderInstance // renders; nil for creates
	Model    *ModelChange          // models
	Node     *NodeChange           // node packs
}

// Kind says which block type the change concerns: "model", "node" or "render".
func (c *Change) Kind() string {
	switch {
	case c.Model != nil:
		return "model"
	case c.Node != nil:
		return "node"
	}
	return "render"
}

// Plan is the set of changes that would converge the servers and the output folders
// onto the configuration.
type Plan struct {
	Changes []*Change
	// The state the plan was made against; apply refuses a plan whose state moved on.
	PriorLineage string
	PriorSerial  int64
	// Preflight holds the capacity checks, with where each number came from.
	Preflight []preflight.Check
}

// HasChanges reports whether applying the plan would do anything.
func (p *Plan) HasChanges() bool {
	for _, c := range p.Changes {
		if c.Action != ActionNoOp {
			return true
		}
	}
	return false
}

// Plan refreshes the servers' inventories, evaluates the configuration and diffs it
// against the state.
func (e *Engine) Plan(ctx context.Context, st *state.State) (*Plan, hcl.Diagnostics) {
	ev, diags := e.evaluate()
	if diags.HasErrors() {
		return nil, diags
	}
	for name := range e.opts.Config.Renders {
		ev.scope.Renders[name] = renderValue(name, st)
	}
	plan := &Plan{PriorLineage: st.Lineage, PriorSerial: st.Serial}
	estate, ediags := e.planEstate(ctx, ev, st)
	diags = append(diags, ediags...)
	insts, rdiags := e.buildRenders(ctx, ev, st, pendingModels(estate))
	diags = append(diags, rdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	plan.Changes = append(plan.Changes, estate...)
	deps := renderDependencies(e.opts.Config)
	seen := map[string]bool{}
	for _, inst := range insts {
		seen[inst.Address] = true
		inst.InputsHash = inputsHash(inst, dependencyFingerprint(deps["render."+inst.Render], estate))
		prior, _ := st.FindRender(inst.Address)
		action, reason := diffRender(e.opts.Config.Dir, inst, prior, !e.opts.NoRefresh)
		plan.Changes = append(plan.Changes, &Change{Address: inst.Address, Action: action, Reason: reason,
			Provider: inst.Provider, Instance: inst, Prior: prior, DependsOn: deps["render."+inst.Render]})
	}
	for _, addr := range st.RenderAddresses() {
		if seen[addr] {
			continue
		}
		prior, paddr := st.FindRender(addr)
		plan.Changes = append(plan.Changes, &Change{Address: addr, Action: ActionDelete,
			Reason: "no longer in the configuration", Provider: paddr, Prior: prior})
	}
	diags = append(diags, applyReplace(plan.Changes, e.opts.Replace)...)
	var tdiags hcl.Diagnostics
	plan.Changes, tdiags = applyTargets(plan.Changes, e.opts.Targets)
	diags = append(diags, tdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	e.mu.Lock()
	e.workspaces = map[string]string{}
	e.mu.Unlock()
	for addr := range e.opts.Config.Providers {
		if ws := e.providerWorkspace(addr, ev); ws != "" {
			e.mu.Lock()
			e.workspaces[addr] = ws
			e.mu.Unlock()
		}
	}
	checks, pdiags := e.preflight(plan, ev)
	plan.Preflight = checks
	diags = append(diags, pdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	sort.SliceStable(plan.Changes, func(i, j int) bool {
		a, b := plan.Changes[i], plan.Changes[j]
		if ka, kb := kindOrder[a.Kind()], kindOrder[b.Kind()]; ka != kb {
			return ka < kb
		}
		return a.Address < b.Address
	})
	return plan, diags
}

// pendingModels reports model file names that apply will install before renders run,
// so that a COMBO check at plan time accepts them.
func pendingModels(estate []*Change) func(string) bool {
	names := map[string]bool{}
	for _, ch := range estate {
		if ch.Model != nil && (ch.Action == ActionCreate || ch.Action == ActionReplace) {
			names[ch.Model.Spec.File] = true
		}
	}
	return func(v string) bool { return names[v] }
}

// kindOrder lists models and node packs before the renders that need them.
var kindOrder = map[string]int{"model": 0, "node": 1, "render": 2}

// diffRender decides what to do with one render instance given its prior state.
func diffRender(dir string, inst *RenderInstance, prior *state.RenderInstance, refresh bool) (Action, string) {
	switch {
	case prior == nil:
		return ActionCreate, "new"
	case prior.Status == state.StatusSubmitted && prior.InputsHash == inst.InputsHash && prior.PromptID != "":
		return ActionResume, "a previous apply submitted it (prompt " + prior.PromptID + ") but did not finish"
	case prior.Status != state.StatusSucceeded:
		return ActionReplace, "previous run " + prior.Status
	case prior.InputsHash != inst.InputsHash:
		return ActionReplace, "inputs changed (workflow, params, models, node packs or output location)"
	}
	if len(prior.Outputs) == 0 {
		return ActionReplace, "no outputs were recorded"
	}
	if !refresh {
		return ActionNoOp, ""
	}
	for _, o := range prior.Outputs {
		if problem := checkOutput(dir, o); problem != "" {
			return ActionReplace, problem
		}
	}
	return ActionNoOp, ""
}

// checkOutput verifies that an output file is on disk with the recorded hash.
func checkOutput(dir string, o state.Output) string {
	path := filepath.Join(dir, filepath.FromSlash(o.Path))
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return "output deleted: " + o.Path
	}
	if err != nil {
		return fmt.Sprintf("output unreadable: %s (%v)", o.Path, err)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return fmt.Sprintf("output unreadable: %s (%v)", o.Path, err)
	}
	if hex.EncodeToString(h.Sum(nil)) != o.SHA256 {
		return "output modified: " + o.Path
	}
	return ""
}
