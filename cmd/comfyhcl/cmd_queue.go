package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

func init() {
	registerCommand(command{Name: "queue", Synopsis: "list, clear or cancel the server's queue, or interrupt what runs", Run: runQueue})
}

const queueUsage = `Usage: comfyhcl queue [list | clear | cancel PROMPT_ID... | interrupt [PROMPT_ID...]] [-json] [-url URL] [-provider local|cloud]`

func runQueue(ctx context.Context, env *Env, args []string) int {
	op, rest := plugins.QueueList, args
	if len(args) > 0 && len(args[0]) > 0 && args[0][0] != '-' {
		ops := map[string]plugins.QueueOp{"list": plugins.QueueList, "clear": plugins.QueueClear,
			"cancel": plugins.QueueCancel, "interrupt": plugins.QueueInterrupt}
		var ok bool
		if op, ok = ops[args[0]]; !ok {
			fmt.Fprintf(env.Stderr, "comfyhcl queue: unknown operation %q\n%s\n", args[0], queueUsage)
			return exitError
		}
		rest = args[1:]
	}
	fs := flag.NewFlagSet("queue", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var of opsFlags
	of.register(fs)
	if err := fs.Parse(interleave(rest, fs)); err != nil {
		return exitError
	}
	ids := fs.Args()
	if (op == plugins.QueueCancel && len(ids) == 0) || ((op == plugins.QueueList || op == plugins.QueueClear) && len(ids) > 0) {
		fmt.Fprintln(env.Stderr, queueUsage)
		return exitError
	}
	conn, code := opsConnect(ctx, env, &of.serverFlags)
	if conn == nil {
		return code
	}
	defer conn.close()
	st, diags := conn.Queue(ctx, plugins.QueueRequest{Op: op, PromptIDs: ids})
	if code, stop := opsReport(ctx, env, diags, conn); stop {
		return code
	}
	if of.json {
		writeJSONLine(env.Stdout, map[string]any{"running": queueJSON(st.Running), "pending": queueJSON(st.Pending)})
		return exitOK
	}
	switch op {
	case plugins.QueueClear:
		fmt.Fprintln(env.Stdout, "Cleared the pending prompts.")
	case plugins.QueueCancel:
		fmt.Fprintf(env.Stdout, "Cancel sent for %d prompt(s): pending ones removed, running ones interrupted.\n", len(ids))
	case plugins.QueueInterrupt:
		// The server stops at the next step, so the queue read just after may still
		// show the prompt running; say what was done and no more.
		fmt.Fprintln(env.Stdout, "Asked the server to interrupt the running prompt; pending prompts stay queued.")
		return exitOK
	}
	renderQueue(env.Stdout, st)
	return exitOK
}

func renderQueue(w io.Writer, st plugins.QueueState) {
	if len(st.Running) == 0 && len(st.Pending) == 0 {
		fmt.Fprintln(w, "The queue is empty.")
		return
	}
	for _, part := range []struct {
		title string
		items []plugins.QueueItem
	}{{"Running", st.Running}, {"Pending", st.Pending}} {
		fmt.Fprintf(w, "%s (%d):\n", part.title, len(part.items))
		for _, it := range part.items {
			fmt.Fprintf(w, "  %-36s  #%g\n", it.PromptID, it.Number)
		}
	}
}

func queueJSON(items []plugins.QueueItem) []map[string]any {
	out := make([]map[string]any, 0, len(items))
	for _, it := range items {
		out = append(out, map[string]any{"prompt_id": it.PromptID, "number": it.Number})
	}
	return out
}

// opsFlags are the flags of the operator commands: the server and -json.
type opsFlags struct {
	serverFlags
	json bool
}

func (o *opsFlags) register(fs *flag.FlagSet) {
	o.serverFlags.register(fs)
	fs.BoolVar(&o.json, "json", false, "machine-readable JSON output")
}

// opsConnect starts the provider; on failure it prints why and returns a nil conn with
// the exit code.
func opsConnect(ctx context.Context, env *Env, sf *serverFlags) (*serverConn, int) {
	conn, diags := connectServer(ctx, env, sf)
	if diags.HasErrors() || conn == nil || conn.Provider == nil {
		var files map[string]*hcl.File
		if conn != nil {
			files = conn.files
		}
		showDiagnostics(env.Stderr, diags, files, false)
		if ctx.Err() != nil {
			return nil, exitInterrupted
		}
		return nil, exitError
	}
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, conn.files, false)
	}
	return conn, exitOK
}

// opsReport prints a provider call's diagnostics; stop is true (with the exit code) when
// the command cannot go on: an error, or Ctrl-C.
func opsReport(ctx context.Context, env *Env, diags plugins.Diagnostics, conn *serverConn) (int, bool) {
	if ctx.Err() != nil {
		fmt.Fprintln(env.Stderr, "Interrupted.")
		return exitInterrupted, true
	}
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, pluginDiags(diags), conn.files, false)
	}
	if diags.HasErrors() {
		return exitError, true
	}
	return exitOK, false
}

func writeJSONLine(w io.Writer, v any) {
	b, _ := json.Marshal(v)
	fmt.Fprintln(w, string(b))
}
