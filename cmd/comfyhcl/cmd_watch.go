package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() {
	registerCommand(command{Name: "watch", Synopsis: "live view of the server's activity or of one prompt", Run: runWatch})
}

const watchUsage = `Usage: comfyhcl watch [PROMPT_ID] [-previews DIR] [-json] [-url URL] [-provider local|cloud]`

func runWatch(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("watch", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var of opsFlags
	of.register(fs)
	previews := fs.String("previews", "", "save preview frames (JPEG/PNG) to this directory")
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return exitError
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(env.Stderr, watchUsage)
		return exitError
	}
	id := fs.Arg(0)
	conn, code := opsConnect(ctx, env, &of.serverFlags)
	if conn == nil {
		return code
	}
	defer conn.close()
	dir := ""
	if *previews != "" {
		dir = absIn(env.Dir, *previews)
	}
	v := &watchView{w: env.Stdout, json: of.json, cwd: env.Dir, lastStep: map[string]time.Time{}, lastQueue: -1}
	if id == "" && !of.json {
		fmt.Fprintln(env.Stdout, "Watching the server's activity; Ctrl-C to stop.")
	}
	if id != "" {
		// A prompt that has already ended (or that the server never had) is answered
		// from its history at once rather than after the socket has been quiet a while.
		res, d := conn.Logs(ctx, plugins.LogsRequest{PromptID: id})
		if code, stop := opsReport(ctx, env, d, conn); stop {
			return code
		}
		if kind, ended := endedKind(res.Status); ended {
			v.event(plugins.Event{Kind: kind, PromptID: id, Error: res.Error})
			return watchExit(v.last)
		}
	}
	diags := conn.Watch(ctx, plugins.WatchRequest{PromptID: id, PreviewsDir: dir}, v.event)
	if code, stop := opsReport(ctx, env, diags, conn); stop {
		return code
	}
	if id == "" {
		return exitOK // the server-wide view ends only with Ctrl-C, handled above
	}
	return watchExit(v.last)
}

func watchExit(last plugins.EventKind) int {
	if last != plugins.EventSucceeded {
		return exitError
	}
	return exitOK
}

// endedKind maps a finished prompt's status (history's, or Cloud's raw job state) to
// its terminal event.
func endedKind(status string) (plugins.EventKind, bool) {
	switch status {
	case "success", "completed":
		return plugins.EventSucceeded, true
	case "error", "failed", "non_retryable_error", "lost":
		return plugins.EventFailed, true
	case "interrupted", "cancelled":
		return plugins.EventInterrupted, true
	}
	return plugins.EventUnknown, false
}

// watchView prints one line per meaningful event (step progress at most once a second
// per node, and at each node's last step), or every event as a JSON line.
type watchView struct {
	w         io.Writer
	json      bool
	cwd       string
	lastStep  map[string]time.Time
	lastQueue int
	last      plugins.EventKind
}

func (v *watchView) event(ev plugins.Event) {
	if ev.Kind.Terminal() {
		v.last = ev.Kind
	}
	if v.json {
		v.eventJSON(ev)
		return
	}
	who := ev.PromptID
	switch ev.Kind {
	case plugins.EventQueued:
		if who != "" {
			fmt.Fprintf(v.w, "%s: queued\n", who)
		} else if ev.QueueRemaining != v.lastQueue {
			v.lastQueue = ev.QueueRemaining
			fmt.Fprintf(v.w, "queue: %d prompt(s) pending or running\n", ev.QueueRemaining)
		}
	case plugins.EventStarted:
		fmt.Fprintf(v.w, "%s: started\n", who)
	case plugins.EventCached:
		if len(ev.CachedNodes) > 0 {
			fmt.Fprintf(v.w, "%s: %d node(s) cached: %s\n", who, len(ev.CachedNodes), strings.Join(ev.CachedNodes, ", "))
		}
	case plugins.EventExecuting:
		fmt.Fprintf(v.w, "%s: executing node %s%s\n", who, ev.NodeID, percent(ev.WorkflowFraction))
	case plugins.EventProgress:
		key := who + "/" + ev.NodeID
		if ev.Value < ev.Max && time.Since(v.lastStep[key]) < time.Second {
			return
		}
		v.lastStep[key] = time.Now()
		fmt.Fprintf(v.w, "%s: node %s step %d/%d%s\n", who, ev.NodeID, ev.Value, ev.Max, percent(ev.WorkflowFraction))
	case plugins.EventPreview:
		if ev.PreviewPath != "" {
			fmt.Fprintf(v.w, "%s: preview of node %s saved to %s\n", who, ev.NodeID, relOut(v.cwd, ev.PreviewPath))
		}
	case plugins.EventSucceeded:
		fmt.Fprintf(v.w, "%s: succeeded\n", who)
	case plugins.EventInterrupted:
		fmt.Fprintf(v.w, "%s: interrupted\n", who)
	case plugins.EventFailed:
		fmt.Fprintf(v.w, "%s: failed\n", who)
		if ev.Error != nil {
			renderExecError(v.w, ev.Error, false)
			fmt.Fprintf(v.w, "\nServer log around it: comfyhcl logs %s\n", who)
		}
	}
}

func (v *watchView) eventJSON(ev plugins.Event) {
	m := map[string]any{"type": ev.Kind.String(), "prompt_id": ev.PromptID}
	switch ev.Kind {
	case plugins.EventQueued:
		m["queue_remaining"] = ev.QueueRemaining
	case plugins.EventCached:
		m["cached_nodes"] = nonNil(ev.CachedNodes)
	case plugins.EventExecuting, plugins.EventExecuted:
		m["node"] = ev.NodeID
	case plugins.EventProgress:
		m["node"], m["value"], m["max"] = ev.NodeID, ev.Value, ev.Max
	case plugins.EventPreview:
		m["node"], m["preview"] = ev.NodeID, filepath.ToSlash(ev.PreviewPath)
	}
	if ev.WorkflowFraction > 0 {
		m["fraction"] = ev.WorkflowFraction
	}
	if ev.Error != nil {
		m["error"] = execErrorJSON(ev.Error)
	}
	writeJSONLine(v.w, m)
}
