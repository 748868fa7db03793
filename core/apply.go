package core

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// Apply carries out a plan: renders run up to each provider's concurrency, and the
// state is saved after every finished item, so an interruption loses at most the items
// in flight. A failed item does not stop the others.
func (e *Engine) Apply(ctx context.Context, plan *Plan, st *state.State, hooks Hooks) hcl.Diagnostics {
	if hooks == nil {
		hooks = NoHooks{}
	}
	if plan.PriorLineage != st.Lineage || plan.PriorSerial != st.Serial {
		return hcl.Diagnostics{errDiag("Saved plan is stale",
			fmt.Sprintf("The plan was made against state serial %d (lineage %s); the state is now at serial %d (lineage %s). Run plan again.",
				plan.PriorSerial, plan.PriorLineage, st.Serial, st.Lineage), nil)}
	}
	a := &applier{e: e, st: st, hooks: hooks, sems: map[string]chan struct{}{}, failed: map[string]bool{},
		writer: state.NewWriter(e.opts.StatePath), flushReq: make(chan struct{}, 1), flushed: make(chan struct{}),
		restart: map[string][]string{}}
	go a.flusher()
	var estate, renders []*Change
	for _, ch := range plan.Changes {
		switch {
		case ch.Action == ActionNoOp:
		case ch.Kind() == "render":
			renders = append(renders, ch)
		default:
			estate = append(estate, ch)
		}
	}
	// Models and node packs first, all in parallel up to the parallelism; then the
	// renders, each skipped (and named) when something it needs failed.
	a.runAll(ctx, estate, func(ch *Change) string { return "estate" }, a.applyEstate)
	a.addDiags(a.restartServers(ctx))
	var runnable []*Change
	for _, ch := range renders {
		if dep := a.failedDependency(ch); dep != "" {
			hooks.Skipped(ch.Address, dep+" failed")
			a.addDiags(hcl.Diagnostics{errDiag(fmt.Sprintf("Skipped %s", ch.Address),
				fmt.Sprintf("%s needs %s, which failed to apply (see its error). Fix it and run apply again.", ch.Address, dep), nil)})
			continue
		}
		runnable = append(runnable, ch)
	}
	a.runAll(ctx, runnable, func(ch *Change) string { return ch.Provider }, a.applyChange)
	a.finishFlushing()
	return a.diags
}

// runAll applies changes concurrently, limited per group (a provider's render
// concurrency, or the engine's parallelism for installs). It stops starting new work
// when ctx is cancelled.
func (a *applier) runAll(ctx context.Context, changes []*Change, group func(*Change) string, apply func(context.Context, *Change, func()) hcl.Diagnostics) {
	var wg sync.WaitGroup
	defer wg.Wait()
	for _, ch := range changes {
		sem := a.semaphore(group(ch))
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			a.addDiags(hcl.Diagnostics{errDiag("Interrupted", "apply was interrupted before "+ch.Address+" started; it is still pending.", nil)})
			return
		}
		wg.Add(1)
		go func(ch *Change) {
			defer wg.Done()
			// release frees the slot as soon as the server's part is done, so the next
			// render starts while this one's state is being written.
			var once sync.Once
			release := func() { once.Do(func() { <-sem }) }
			defer release()
			d := apply(ctx, ch, release)
			if d.HasErrors() {
				a.mu.Lock()
				a.failed[ch.Address] = true
				a.mu.Unlock()
			}
			a.addDiags(d)
		}(ch)
	}
}

func (a *applier) failedDependency(ch *Change) string {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, dep := range ch.DependsOn {
		if a.failed[dep] {
			return dep
		}
	}
	return ""
}

type applier struct {
	e     *Engine
	hooks Hooks

	mu     sync.Mutex
	st     *state.State
	sems   map[string]chan struct{}
	diags  hcl.Diagnostics
	failed map[string]bool
	writer *state.Writer
	// flushReq wakes the background writer; flushed closes when it has stopped.
	flushReq chan struct{}
	flushed  chan struct{}
	// restart lists, by provider, the node packs whose install needs a server restart.
	restart map[string][]string
}

// persistSoon records a render's progress in memory and has the background writer save
// it: renders do not wait for the disk (an fsync costs more than a quick render), and
// updates that arrive while a write is under way share the next one. A crash loses at
// most the updates of the write in progress; apply waits for the last write before it
// returns.
func (a *applier) persistSoon(mutate func(*state.State)) {
	a.mu.Lock()
	mutate(a.st)
	a.mu.Unlock()
	select {
	case a.flushReq <- struct{}{}:
	default: // a write is already pending and will include this change
	}
}

// flushInterval spaces the background writes: encoding the whole state holds the lock
// the renders need, so with hundreds of quick renders writing after every change would
// slow them all; a crash loses at most this much more.
const flushInterval = 50 * time.Millisecond

func (a *applier) flusher() {
	defer close(a.flushed)
	for range a.flushReq {
		if err := a.writer.SaveLocked(&a.mu, a.st); err != nil {
			a.addDiags(hcl.Diagnostics{errDiag("Cannot save the state", err.Error()+"\nThe outputs written so far are on disk; fix the problem and run apply again.", nil)})
		}
		time.Sleep(flushInterval)
	}
}

func (a *applier) finishFlushing() {
	close(a.flushReq)
	<-a.flushed
	if err := a.writer.SaveLocked(&a.mu, a.st); err != nil {
		a.addDiags(hcl.Diagnostics{errDiag("Cannot save the state", err.Error(), nil)})
	}
}

func (a *applier) addDiags(d hcl.Diagnostics) {
	a.mu.Lock()
	a.diags = append(a.diags, d...)
	a.mu.Unlock()
}

func (a *applier) semaphore(group string) chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if s, ok := a.sems[group]; ok {
		return s
	}
	n := a.e.parallelism()
	if p, ok := a.e.providers[group]; ok {
		n = p.concurrency
	}
	s := make(chan struct{}, n)
	a.sems[group] = s
	return s
}

// persist mutates the state under the lock and saves it before returning; concurrent
// saves share one write.
func (a *applier) persist(mutate func(*state.State)) hcl.Diagnostics {
	a.mu.Lock()
	mutate(a.st)
	a.mu.Unlock()
	if err := a.writer.SaveLocked(&a.mu, a.st); err != nil {
		return hcl.Diagnostics{errDiag("Cannot save the state", err.Error()+"\nThe outputs written so far are on disk; fix the problem and run apply again.", nil)}
	}
	return nil
}

func (a *applier) applyChange(ctx context.Context, ch *Change, release func()) hcl.Diagnostics {
	if ch.Action == ActionDelete {
		diags := a.removeOutputs(ch.Address, ch.Prior, nil)
		return append(diags, a.persist(func(s *state.State) { delete(s.Provider(ch.Provider).Renders, ch.Address) })...)
	}
	return a.render(ctx, ch, release)
}

func (a *applier) render(ctx context.Context, ch *Change, release func()) hcl.Diagnostics {
	inst := ch.Instance
	p, ok := a.e.providers[inst.Provider]
	if !ok {
		return hcl.Diagnostics{errDiag("Provider not started", "internal error: provider "+inst.Provider+" was not started during plan", nil)}
	}
	subject := rangePtr(inst.DeclRange)
	promptID, submittedAt := "", time.Now().UTC()
	if ch.Action == ActionResume && ch.Prior != nil {
		promptID, submittedAt = ch.Prior.PromptID, ch.Prior.Submitted
	} else {
		graphJSON, udiags := uploadAll(ctx, p.inst, inst)
		if udiags.HasErrors() {
			return providerDiags(udiags, inst.DeclRange)
		}
		res, pdiags := p.inst.Submit(ctx, plugins.SubmitRequest{GraphJSON: graphJSON, Instance: inst.Address})
		if pdiags.HasErrors() {
			return providerDiags(pdiags, inst.DeclRange)
		}
		promptID = res.PromptID
		submitted := &state.RenderInstance{Address: inst.Address, InputsHash: inst.InputsHash, PromptID: promptID,
			Status: state.StatusSubmitted, OutputDir: inst.OutputDir, Submitted: submittedAt, Seeds: inst.Seeds}
		if ch.Prior != nil {
			submitted.Outputs = ch.Prior.Outputs // still ours until replaced
		}
		a.persistSoon(func(s *state.State) { s.Provider(inst.Provider).Renders[inst.Address] = submitted })
	}
	a.hooks.RenderSubmitted(inst.Address, promptID)
	wdiags := p.inst.Watch(ctx, plugins.WatchRequest{PromptID: promptID}, func(ev plugins.Event) {
		a.hooks.RenderEvent(inst.Address, ev)
	})
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		p.inst.Cancel(cctx, promptID)
		cancel()
		a.persistSoon(func(s *state.State) {
			if r := s.Provider(inst.Provider).Renders[inst.Address]; r != nil {
				r.Status = state.StatusInterrupted
			}
		})
		return hcl.Diagnostics{errDiag("Interrupted", fmt.Sprintf("%s was cancelled on the server (prompt %s); the next apply runs it again.", inst.Address, promptID), subject)}
	}
	if wdiags.HasErrors() {
		return providerDiags(wdiags, inst.DeclRange)
	}
	return a.fetch(ctx, ch, p, promptID, submittedAt, release)
}

func (a *applier) fetch(ctx context.Context, ch *Change, p *liveProvider, promptID string, submittedAt time.Time, release func()) hcl.Diagnostics {
	inst := ch.Instance
	dir := a.e.opts.Config.Dir
	var owned []string
	if ch.Prior != nil {
		for _, o := range ch.Prior.Outputs {
			if rel, ok := strings.CutPrefix(o.Path, inst.OutputDir+"/"); ok {
				owned = append(owned, rel)
			}
		}
	}
	outAbs := filepath.Join(dir, filepath.FromSlash(inst.OutputDir))
	if err := os.MkdirAll(outAbs, 0o755); err != nil {
		return hcl.Diagnostics{errDiag("Cannot create the output directory", err.Error(), rangePtr(inst.DeclRange))}
	}
	res, pdiags := p.inst.Fetch(ctx, plugins.FetchRequest{PromptID: promptID, OutputDir: outAbs, Flat: inst.Flat, OwnedPaths: owned})
	release()
	diags := providerDiags(pdiags, inst.DeclRange)
	record := &state.RenderInstance{Address: inst.Address, InputsHash: inst.InputsHash, PromptID: promptID,
		OutputDir: inst.OutputDir, Submitted: submittedAt, Finished: time.Now().UTC(), Seeds: inst.Seeds}
	result := RenderResult{PromptID: promptID, Error: res.Error}
	if res.Status != plugins.JobSucceeded || pdiags.HasErrors() {
		record.Status, result.Status = state.StatusFailed, state.StatusFailed
		if res.Error != nil {
			diags = append(diags, executionDiag(inst, res.Error))
		} else if !pdiags.HasErrors() {
			diags = append(diags, errDiag("Render did not succeed", fmt.Sprintf("%s ended %s on the server (prompt %s).", inst.Address, res.Status, promptID), rangePtr(inst.DeclRange)))
		}
		a.hooks.RenderFinished(inst.Address, result)
		a.persistSoon(func(s *state.State) { s.Provider(inst.Provider).Renders[inst.Address] = record })
		return diags
	}
	record.Status, result.Status = state.StatusSucceeded, state.StatusSucceeded
	for _, f := range res.Files {
		rel := inst.OutputDir + "/" + filepath.ToSlash(f.Path)
		record.Outputs = append(record.Outputs, state.Output{NodeID: f.NodeID, Path: rel, Size: f.Size, SHA256: f.SHA256, MediaType: f.MediaType})
		f.Path = rel
		result.Outputs = append(result.Outputs, f)
	}
	a.hooks.RenderFinished(inst.Address, result)
	save := func(s *state.State) { s.Provider(inst.Provider).Renders[inst.Address] = record }
	if ch.Prior == nil || len(ch.Prior.Outputs) == 0 {
		a.persistSoon(save)
		return diags
	}
	// The new outputs must be on disk in the state before the old ones are deleted: a
	// crash in between would otherwise leave a state that names deleted files.
	if d := a.persist(save); d.HasErrors() {
		return append(diags, d...)
	}
	return append(diags, a.removeOutputs(inst.Address, ch.Prior, record.Outputs)...)
}

// removeOutputs deletes a previous run's files that comfyhcl wrote and that still have
// the recorded hash, except those the new run rewrote. Anything else is left alone.
func (a *applier) removeOutputs(addr string, prior *state.RenderInstance, keep []state.Output) hcl.Diagnostics {
	kept := map[string]bool{}
	for _, o := range keep {
		kept[o.Path] = true
	}
	dir := a.e.opts.Config.Dir
	var diags hcl.Diagnostics
	for _, o := range prior.Outputs {
		if kept[o.Path] || checkOutput(dir, o) != "" {
			continue
		}
		if err := os.Remove(filepath.Join(dir, filepath.FromSlash(o.Path))); err != nil {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "Cannot remove an old output", Detail: err.Error()})
			continue
		}
		a.hooks.OutputRemoved(addr, o.Path)
	}
	return diags
}

func executionDiag(inst *RenderInstance, e *plugins.ExecutionError) *hcl.Diagnostic {
	var b strings.Builder
	fmt.Fprintf(&b, "Node %s (%s) raised %s: %s", e.NodeID, e.NodeType, e.ExceptionType, strings.TrimSpace(e.ExceptionMessage))
	if n := len(e.Traceback); n > 0 {
		b.WriteString("\n\nTraceback (last lines):\n")
		for _, l := range e.Traceback[max(0, n-6):] {
			b.WriteString(strings.TrimRight(l, "\n") + "\n")
		}
	}
	return errDiag(fmt.Sprintf("%s failed on the server", inst.Address), strings.TrimRight(b.String(), "\n"), rangePtr(inst.DeclRange))
}
