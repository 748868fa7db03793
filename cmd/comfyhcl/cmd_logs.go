package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() {
	registerCommand(command{Name: "logs", Synopsis: "status messages, traceback and server log of a prompt", Run: runLogs})
}

const logsUsage = `Usage: comfyhcl logs PROMPT_ID [-lines N] [-json] [-url URL] [-provider local|cloud]`

func runLogs(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("logs", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var of opsFlags
	of.register(fs)
	lines := fs.Int("lines", 40, "server log lines to show around the failure (0: none)")
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return exitError
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, logsUsage)
		return exitError
	}
	id := fs.Arg(0)
	conn, code := opsConnect(ctx, env, &of.serverFlags)
	if conn == nil {
		return code
	}
	defer conn.close()
	res, diags := conn.Logs(ctx, plugins.LogsRequest{PromptID: id, ServerLogLines: max(*lines, 0)})
	if code, stop := opsReport(ctx, env, diags, conn); stop {
		return code
	}
	if of.json {
		writeJSONLine(env.Stdout, logsJSON(id, res))
		return exitOK
	}
	renderLogs(env.Stdout, id, res)
	return exitOK
}

func logsJSON(id string, res plugins.LogsResult) map[string]any {
	msgs := make([]json.RawMessage, 0, len(res.StatusMessagesJSON))
	for _, m := range res.StatusMessagesJSON {
		if json.Valid([]byte(m)) {
			msgs = append(msgs, json.RawMessage(m))
		}
	}
	out := map[string]any{"prompt_id": id, "status": res.Status, "messages": msgs, "server_log": nonNil(res.ServerLog)}
	if e := res.Error; e != nil {
		out["error"] = execErrorJSON(e)
	}
	return out
}

func execErrorJSON(e *plugins.ExecutionError) map[string]any {
	m := map[string]any{"node_id": e.NodeID, "node_type": e.NodeType, "exception_type": e.ExceptionType,
		"exception_message": e.ExceptionMessage, "traceback": nonNil(e.Traceback)}
	if e.CurrentInputsJSON != "" && json.Valid([]byte(e.CurrentInputsJSON)) {
		m["current_inputs"] = json.RawMessage(e.CurrentInputsJSON)
	}
	return m
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func renderLogs(w io.Writer, id string, res plugins.LogsResult) {
	fmt.Fprintf(w, "Prompt %s: %s\n", id, res.Status)
	if len(res.StatusMessagesJSON) > 0 {
		fmt.Fprintln(w, "\nStatus messages:")
		for _, m := range res.StatusMessagesJSON {
			fmt.Fprintln(w, "  "+statusMessageLine(m))
		}
	}
	if e := res.Error; e != nil {
		fmt.Fprintln(w, "\nError:")
		renderExecError(w, e, false)
	}
	if len(res.ServerLog) > 0 {
		fmt.Fprintln(w, "\nServer log:")
		for _, l := range res.ServerLog {
			fmt.Fprintln(w, "  "+l)
		}
	}
}

// statusMessageLine shows ["event", {data}] as "event  key=value ..." without the
// bulky error payload, which renderExecError shows in full.
func statusMessageLine(raw string) string {
	var pair []json.RawMessage
	if json.Unmarshal([]byte(raw), &pair) != nil || len(pair) != 2 {
		return raw
	}
	var name string
	var data map[string]any
	_ = json.Unmarshal(pair[0], &name)
	_ = json.Unmarshal(pair[1], &data)
	switch name {
	case "execution_cached":
		return fmt.Sprintf("%-22s nodes %v", name, data["nodes"])
	case "execution_error", "execution_interrupted":
		return fmt.Sprintf("%-22s node %v (%v)", name, data["node_id"], data["node_type"])
	}
	return name
}

// renderExecError shows a node failure; brief leaves out the inputs and keeps the last
// lines of the traceback (`comfyhcl logs` shows everything).
func renderExecError(w io.Writer, e *plugins.ExecutionError, brief bool) {
	if e.NodeID != "" {
		fmt.Fprintf(w, "  node %s (%s) raised %s\n", e.NodeID, e.NodeType, e.ExceptionType)
	} else {
		fmt.Fprintf(w, "  %s\n", e.ExceptionType)
	}
	for _, l := range strings.Split(strings.TrimRight(e.ExceptionMessage, "\n"), "\n") {
		fmt.Fprintln(w, "  "+l)
	}
	if e.CurrentInputsJSON != "" && !brief {
		var inputs map[string]json.RawMessage
		if json.Unmarshal([]byte(e.CurrentInputsJSON), &inputs) == nil && len(inputs) > 0 {
			fmt.Fprintln(w, "\nInputs of the failing node:")
			for _, k := range sortedStrings(inputs) {
				fmt.Fprintf(w, "  %s = %s\n", k, inputs[k])
			}
		}
	}
	if len(e.Traceback) > 0 {
		tb := e.Traceback
		if brief && len(tb) > 2 {
			tb = tb[len(tb)-2:]
			fmt.Fprintln(w, "\nTraceback (last frames):")
		} else {
			fmt.Fprintln(w, "\nTraceback:")
		}
		for _, l := range tb {
			for _, sub := range strings.Split(strings.TrimRight(l, "\n"), "\n") {
				fmt.Fprintln(w, "  "+sub)
			}
		}
	}
}

func sortedStrings[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
