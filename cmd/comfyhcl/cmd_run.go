package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() {
	registerCommand(command{Name: "run", Synopsis: "run a workflow once (or a batch) without a configuration or state", Run: runRun})
}

const runUsage = `Usage: comfyhcl run WORKFLOW [-param k=v ...] [-input-image name=path ...] [-count N] [-sweep 'k=a,b;k2=c']
       [-randomize-seed] [-parallel N] [-continue-on-error] [-output DIR] [-flat-output] [-ws] [-json]
       [-url URL] [-provider local|cloud]`

type kvFlag []string

func (f *kvFlag) String() string { return strings.Join(*f, " ") }
func (f *kvFlag) Set(v string) error {
	if k, _, ok := strings.Cut(v, "="); !ok || strings.TrimSpace(k) == "" {
		return fmt.Errorf("%q: want name=value", v)
	}
	*f = append(*f, v)
	return nil
}

type runFlags struct {
	opsFlags
	params, images           kvFlag
	count, parallel          int
	sweep, output            string
	randomizeSeed, keepGoing bool
	flat, live               bool
}

func runRun(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("run", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var rf runFlags
	rf.opsFlags.register(fs)
	fs.Var(&rf.params, "param", "set a workflow parameter: -param steps=30 or -param 3.seed=7 (repeatable; see `comfyhcl workflow schema`)")
	fs.Var(&rf.images, "input-image", "upload a local image for an image parameter: -input-image image=photo.png (repeatable)")
	fs.IntVar(&rf.count, "count", 1, "instances per sweep point (seeds differ: seed+i, or random with -randomize-seed)")
	fs.StringVar(&rf.sweep, "sweep", "", "cartesian sweep: 'steps=20,30;cfg=5,7'")
	fs.BoolVar(&rf.randomizeSeed, "randomize-seed", false, "a fresh random seed for every instance")
	fs.IntVar(&rf.parallel, "parallel", 0, "renders in flight at once (default and maximum: the provider's concurrency)")
	fs.BoolVar(&rf.keepGoing, "continue-on-error", false, "keep submitting after an instance fails")
	fs.StringVar(&rf.output, "output", "outputs", "directory for the outputs (several instances get one subdirectory each)")
	fs.BoolVar(&rf.flat, "flat-output", false, "do not recreate the server's subfolders under -output")
	fs.BoolVar(&rf.live, "ws", false, "show live progress from the server's WebSocket (nodes, steps, workflow percent)")
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return exitError
	}
	if fs.NArg() != 1 || rf.count < 1 || rf.parallel < 0 {
		fmt.Fprintln(env.Stderr, runUsage)
		return exitError
	}
	axes, err := core.ParseSweep(rf.sweep)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl run: -sweep", err)
		return exitError
	}
	conn, code := opsConnect(ctx, env, &rf.serverFlags)
	if conn == nil {
		return code
	}
	defer conn.close()
	spec, ok := runSpec(ctx, env, conn, &rf, fs.Arg(0), axes)
	if !ok {
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return exitError
	}
	view := &runHooks{applyView: newApplyView(env.Stdout, rf.json, false), live: rf.live || rf.json, prefix: relOut(env.Dir, spec.OutputDir)}
	results, diags := core.Run(ctx, conn, spec, view)
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, nil, false)
	}
	if diags.HasErrors() {
		if ctx.Err() != nil {
			return exitInterrupted
		}
		return exitError
	}
	return runSummary(env, results, view.prefix, rf.json, ctx.Err() != nil)
}

// runSpec loads the workflow through the provider (for the node catalogue) and turns the
// flags into a core.RunSpec; ok is false after it printed why not.
func runSpec(ctx context.Context, env *Env, conn *serverConn, rf *runFlags, wf string, axes []core.SweepAxis) (core.RunSpec, bool) {
	path := absIn(env.Dir, wf)
	g, cat, diags := core.LoadRunWorkflow(ctx, conn, path)
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, nil, false)
	}
	if diags.HasErrors() {
		return core.RunSpec{}, false
	}
	spec := core.RunSpec{Graph: g, Catalogue: cat, Count: rf.count, Sweep: axes, RandomizeSeed: rf.randomizeSeed,
		OutputDir: absIn(env.Dir, rf.output), Flat: rf.flat, ContinueOnError: rf.keepGoing, Parallel: conn.concurrency}
	if rf.parallel > conn.concurrency {
		fmt.Fprintf(env.Stderr, "Note: -parallel %d is more than the provider's concurrency (%d); running %d at once.\n", rf.parallel, conn.concurrency, conn.concurrency)
	} else if rf.parallel > 0 {
		spec.Parallel = rf.parallel
	}
	for _, kv := range rf.params {
		k, v, _ := strings.Cut(kv, "=")
		spec.Params = append(spec.Params, workflow.Param{Name: strings.TrimSpace(k), Value: v})
	}
	for _, kv := range rf.images {
		k, v, _ := strings.Cut(kv, "=")
		spec.InputImages = append(spec.InputImages, core.InputImage{Param: strings.TrimSpace(k), Path: absIn(env.Dir, v)})
	}
	return spec, true
}

func absIn(dir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(dir, p)
}

// relOut is how the output directory is shown: relative to the working directory when
// inside it.
func relOut(dir, out string) string {
	if rel, err := filepath.Rel(dir, out); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return filepath.ToSlash(out)
}

// runHooks is apply's progress view with live events only on request and output paths
// shown under the output directory.
type runHooks struct {
	*applyView
	live   bool
	prefix string
}

func (h *runHooks) RenderEvent(addr string, ev plugins.Event) {
	if h.live {
		h.applyView.RenderEvent(addr, ev)
	}
}

func (h *runHooks) RenderFinished(addr string, r core.RenderResult) {
	outs := make([]plugins.OutputFile, len(r.Outputs))
	for i, f := range r.Outputs {
		f.Path = h.prefix + "/" + f.Path
		outs[i] = f
	}
	r.Outputs = outs
	h.applyView.RenderFinished(addr, r)
}

// runSummary prints the table (or the JSON summary), then what went wrong, and returns
// the exit code: 0 when every instance succeeded, 130 after Ctrl-C, else 1.
func runSummary(env *Env, results []core.RunResult, prefix string, jsonOut, interrupted bool) int {
	counts := map[string]int{}
	for _, r := range results {
		counts[r.Status]++
	}
	if jsonOut {
		items := make([]map[string]any, 0, len(results))
		for _, r := range results {
			items = append(items, runResultJSON(r, prefix))
		}
		writeJSONLine(env.Stdout, map[string]any{"type": "run_complete", "succeeded": counts[core.RunSucceeded],
			"failed": counts[core.RunFailed], "interrupted": counts[core.RunInterrupted], "skipped": counts[core.RunSkipped],
			"results": items})
	} else {
		fmt.Fprintf(env.Stdout, "\nRun summary: %d succeeded, %d failed, %d interrupted, %d skipped.\n",
			counts[core.RunSucceeded], counts[core.RunFailed], counts[core.RunInterrupted], counts[core.RunSkipped])
		tw := tabwriter.NewWriter(env.Stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  INSTANCE\tSTATUS\tPROMPT\tPARAMS\tOUTPUTS")
		for _, r := range results {
			var outs []string
			for _, f := range r.Outputs {
				outs = append(outs, prefix+"/"+f.Path)
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", r.Instance.Address, r.Status, dash(r.PromptID),
				dash(core.DescribeParams(r.Instance.Varying)), dash(strings.Join(outs, " ")))
		}
		tw.Flush()
	}
	for _, r := range results {
		if len(r.Diags) > 0 {
			showDiagnostics(env.Stderr, r.Diags, nil, false)
		}
		if r.Error != nil && r.Status == core.RunFailed {
			fmt.Fprintf(env.Stderr, "\nError: %s failed on the server\n\n", r.Instance.Address)
			renderExecError(env.Stderr, r.Error, true)
			fmt.Fprintf(env.Stderr, "\nThe node's inputs, the whole traceback and the server log: comfyhcl logs %s\n", r.PromptID)
		}
	}
	switch {
	case interrupted:
		fmt.Fprintln(env.Stderr, "Interrupted: renders in flight were cancelled on the server.")
		return exitInterrupted
	case counts[core.RunSucceeded] != len(results):
		return exitError
	}
	return exitOK
}

func runResultJSON(r core.RunResult, prefix string) map[string]any {
	params := map[string]any{}
	for _, p := range r.Instance.Varying {
		params[p.Name] = p.Value
	}
	outs := []map[string]any{}
	for _, f := range r.Outputs {
		outs = append(outs, map[string]any{"path": prefix + "/" + f.Path, "node_id": f.NodeID, "size": f.Size,
			"sha256": f.SHA256, "media_type": f.MediaType})
	}
	m := map[string]any{"address": r.Instance.Address, "status": r.Status, "prompt_id": r.PromptID,
		"params": params, "outputs": outs, "duration_ms": r.Duration.Milliseconds()}
	if r.Error != nil {
		m["error"] = execErrorJSON(r.Error)
	}
	return m
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
