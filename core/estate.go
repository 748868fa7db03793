package core

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ModelChange is the plan for one model block.
type ModelChange struct {
	Name      string
	Spec      plugins.ModelSpec
	Server    plugins.ModelPlan
	DeclRange hcl.Range
}

// NodeChange is the plan for one node block.
type NodeChange struct {
	Name      string
	Spec      plugins.NodeSpec
	Server    plugins.NodePlan
	DeclRange hcl.Range
}

// planEstate asks each model's and node pack's provider what its server has and decides
// what apply must do. Blocks removed from the configuration are forgotten, never deleted:
// a multi-gigabyte model or a node pack may be in use by something comfyhcl does not see.
func (e *Engine) planEstate(ctx context.Context, ev *evaluated, st *state.State) ([]*Change, hcl.Diagnostics) {
	var out []*Change
	lock, diags := e.loadLock()
	if diags.HasErrors() {
		return nil, diags
	}
	for _, name := range sortedNames(ev.models) {
		if d := pinModel(lock, ev.models[name]); d.HasErrors() {
			diags = append(diags, d...)
			continue
		}
		ch, d := e.planModel(ctx, ev, st, ev.models[name])
		diags = append(diags, d...)
		if ch != nil {
			out = append(out, ch)
		}
	}
	for _, name := range sortedNames(e.opts.Config.Nodes) {
		ch, d := e.planNode(ctx, ev, st, e.opts.Config.Nodes[name])
		diags = append(diags, d...)
		if ch != nil {
			out = append(out, ch)
		}
	}
	out = append(out, forgottenEstate(e.opts.Config, st)...)
	return out, diags
}

func providerOr(addr string) string {
	if addr == "" {
		return "local"
	}
	return addr
}

func (e *Engine) planModel(ctx context.Context, ev *evaluated, st *state.State, m *modelValue) (*Change, hcl.Diagnostics) {
	addr := "model." + m.Name
	provAddr := providerOr(m.Provider)
	p, diags := e.provider(ctx, provAddr, ev.scope)
	if diags.HasErrors() {
		return nil, diags
	}
	spec := plugins.ModelSpec{Folder: m.Folder, File: m.File, Source: m.Source, SHA256: m.SHA256, Size: m.Size, Headers: m.Headers}
	srv, pdiags := p.inst.PlanModel(ctx, spec)
	diags = append(diags, providerDiags(pdiags, m.DeclRange)...)
	if pdiags.HasErrors() {
		return nil, diags
	}
	ch := &Change{Address: addr, Provider: provAddr, Model: &ModelChange{Name: m.Name, Spec: spec, Server: srv, DeclRange: m.DeclRange}}
	managed := st.Provider(provAddr).Models[m.Name]
	where := m.Folder + "/" + m.File
	switch srv.Status {
	case plugins.ModelAbsent:
		ch.Action, ch.Reason = ActionCreate, "download "+where
		if !srv.Installable {
			diags = append(diags, errDiag(fmt.Sprintf("Cannot install %s", addr),
				fmt.Sprintf("%s is not on the server and provider %q cannot install it. See the provider's message above, or install the file by hand.", where, provAddr), rangePtr(m.DeclRange)))
		} else if m.Source == "" {
			diags = append(diags, errDiag(fmt.Sprintf("%s has no source", addr),
				fmt.Sprintf("%s is not on the server, and the model block has no `source` URL to download it from. Add source = \"https://...\".", where), rangePtr(m.DeclRange)))
		}
	case plugins.ModelMismatch:
		ch.Action = ActionReplace
		ch.Reason = fmt.Sprintf("sha256 of %s is %.12s…, the configuration pins %.12s…", where, srv.ActualSHA256, m.SHA256)
	case plugins.ModelPresentByName:
		ch.Action, ch.Reason = ActionNoOp, "present by name, unverified (the server lists names only)"
	case plugins.ModelPresent:
		if managed == nil {
			ch.Action, ch.Reason = ActionAdopt, "already on the server with the declared content"
		} else {
			ch.Action = ActionNoOp
		}
	default:
		diags = append(diags, errDiag("Provider gave no model status", fmt.Sprintf("provider %q did not say whether %s is on the server", provAddr, where), rangePtr(m.DeclRange)))
		return nil, diags
	}
	return ch, diags
}

func (e *Engine) planNode(ctx context.Context, ev *evaluated, st *state.State, n *lang.NodePack) (*Change, hcl.Diagnostics) {
	addr := "node." + n.Name
	spec, diags := evaluateNodeSpec(n, ev.scope)
	if diags.HasErrors() {
		return nil, diags
	}
	provAddr := "local"
	if n.Provider != nil {
		provAddr = n.Provider.Addr()
	}
	p, pd := e.provider(ctx, provAddr, ev.scope)
	diags = append(diags, pd...)
	if pd.HasErrors() {
		return nil, diags
	}
	srv, pdiags := p.inst.PlanNode(ctx, spec)
	diags = append(diags, providerDiags(pdiags, n.DeclRange)...)
	if pdiags.HasErrors() {
		return nil, diags
	}
	ch := &Change{Address: addr, Provider: provAddr, Node: &NodeChange{Name: n.Name, Spec: spec, Server: srv, DeclRange: n.DeclRange}}
	pin := spec.Version
	if spec.Git != "" {
		pin = spec.Ref
	}
	restart := ""
	if srv.RestartRequired || srv.Status != plugins.NodePresent {
		restart = "; the server must restart to load it"
	}
	switch srv.Status {
	case plugins.NodeAbsent:
		ch.Action, ch.Reason = ActionCreate, "install "+pin+restart
	case plugins.NodeDifferent:
		have := srv.InstalledVersion
		if have == "" {
			have = srv.InstalledCommit
		}
		ch.Action, ch.Reason = ActionUpdate, fmt.Sprintf("installed %s, the configuration pins %s%s", have, pin, restart)
	case plugins.NodePresent:
		if st.Provider(provAddr).Nodes[n.Name] == nil {
			ch.Action, ch.Reason = ActionAdopt, "already installed at "+pin
		} else {
			ch.Action = ActionNoOp
		}
	default:
		return nil, append(diags, errDiag("Provider gave no node pack status", fmt.Sprintf("provider %q did not say whether %s is installed", provAddr, addr), rangePtr(n.DeclRange)))
	}
	if (ch.Action == ActionCreate || ch.Action == ActionUpdate) && !srv.Installable {
		diags = append(diags, errDiag(fmt.Sprintf("Cannot install %s", addr),
			fmt.Sprintf("provider %q cannot install node packs on this server. See the provider's message, or install it by hand.", provAddr), rangePtr(n.DeclRange)))
	}
	return ch, diags
}

func evaluateNodeSpec(n *lang.NodePack, scope *lang.Scope) (plugins.NodeSpec, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	str := func(expr hcl.Expression) string {
		if expr == nil {
			return ""
		}
		v, d := scope.Eval(expr, cty.String)
		diags = append(diags, d...)
		if d.HasErrors() || v.IsNull() {
			return ""
		}
		v, _ = v.Unmark()
		return v.AsString()
	}
	return plugins.NodeSpec{Registry: str(n.Registry), Version: str(n.Version), Git: str(n.Git), Ref: str(n.Ref)}, diags
}

// forgottenEstate lists managed models and packs whose blocks are gone.
func forgottenEstate(cfg *lang.Config, st *state.State) []*Change {
	var out []*Change
	for _, paddr := range sortedNames(st.Providers) {
		ps := st.Providers[paddr]
		for _, name := range sortedNames(ps.Models) {
			if _, ok := cfg.Models[name]; !ok {
				out = append(out, &Change{Address: "model." + name, Provider: paddr, Action: ActionDelete,
					Reason: "no longer in the configuration: comfyhcl forgets it, the file stays",
					Model:  &ModelChange{Name: name}})
			}
		}
		for _, name := range sortedNames(ps.Nodes) {
			if _, ok := cfg.Nodes[name]; !ok {
				out = append(out, &Change{Address: "node." + name, Provider: paddr, Action: ActionDelete,
					Reason: "no longer in the configuration: comfyhcl forgets it, the pack stays installed",
					Node:   &NodeChange{Name: name}})
			}
		}
	}
	return out
}

// renderDependencies maps each render address to the model and node addresses it needs,
// following references transitively (through locals and other blocks).
func renderDependencies(cfg *lang.Config) map[string][]string {
	g, _ := cfg.DependencyGraph()
	out := map[string][]string{}
	if g == nil {
		return out
	}
	for name := range cfg.Renders {
		addr := "render." + name
		seen := map[string]bool{addr: true}
		stack := []string{addr}
		var deps []string
		for len(stack) > 0 {
			cur := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			for _, edge := range g.Edges[cur] {
				if seen[edge.To] {
					continue
				}
				seen[edge.To] = true
				stack = append(stack, edge.To)
				if strings.HasPrefix(edge.To, "model.") || strings.HasPrefix(edge.To, "node.") {
					deps = append(deps, edge.To)
				}
			}
		}
		sort.Strings(deps)
		out[addr] = deps
	}
	return out
}
