package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/local"
	"github.com/comfyhcl/comfyhcl/providers/local/launch"
)

func init() {
	registerCommand(command{Name: "health", Synopsis: "checklist of comfy-cli, server, nodes, checkpoints, queue; -smoke runs a self-cancelling test job", Run: runHealth})
}

// Check statuses.
const (
	checkOK   = "ok"
	checkWarn = "warn"
	checkFail = "fail"
	checkSkip = "skip"
)

// healthCheck is one line of the checklist; Fix says what to do when it is not ok.
type healthCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

type healthReport struct {
	OK     bool          `json:"ok"`
	Checks []healthCheck `json:"checks"`
}

func (r *healthReport) add(name, status, detail, fix string) {
	r.Checks = append(r.Checks, healthCheck{Name: name, Status: status, Detail: detail, Fix: fix})
}

func runHealth(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var sf serverFlags
	sf.register(fs)
	smoke := fs.Bool("smoke", false, "also submit a tiny job and cancel it as soon as it starts (burns no compute); reports the round trip")
	asJSON := fs.Bool("json", false, "print the checklist as JSON")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "comfyhcl health: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	rep := &healthReport{}
	if p, ok := launch.FindComfy(nil); ok {
		rep.add("comfy-cli", checkOK, p, "")
	} else {
		rep.add("comfy-cli", checkWarn, "not installed (needed only to install or launch a local ComfyUI)",
			"run `comfyhcl setup`, or `pipx install comfy-cli`")
	}
	conn, diags := connectServer(ctx, env, &sf)
	if diags.HasErrors() {
		rep.add("server", checkFail, healthHCLText(diags), "start ComfyUI (`comfyhcl setup`), or point -url at a running server")
		skipRest(rep, *smoke)
	} else {
		defer conn.close()
		serverChecks(ctx, conn, serverLabel(env, &sf), rep, *smoke)
	}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	rep.OK = true
	for _, c := range rep.Checks {
		if c.Status == checkFail {
			rep.OK = false
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		writeHealth(env.Stdout, rep)
	}
	if !rep.OK {
		return exitError
	}
	return exitOK
}

func serverLabel(env *Env, sf *serverFlags) string {
	switch {
	case sf.url != "":
		return sf.url
	case sf.provider != "":
		return "the " + sf.provider + " provider's server"
	case hasConfig(env.Dir):
		return "the server configured in " + env.Dir
	}
	return local.DefaultURL + " (the default; -url picks another)"
}

func skipRest(rep *healthReport, smoke bool) {
	names := []string{"object_info", "checkpoints", "queue"}
	if smoke {
		names = append(names, "smoke")
	}
	for _, n := range names {
		rep.add(n, checkSkip, "server unreachable", "")
	}
}

func serverChecks(ctx context.Context, conn *serverConn, where string, rep *healthReport, smoke bool) {
	inv, diags := conn.Inventory(ctx, plugins.InventoryRequest{})
	if diags.HasErrors() {
		rep.add("server", checkFail, healthDiagsText(diags), "start ComfyUI (`comfyhcl setup`), or point -url at a running server")
		skipRest(rep, smoke)
		return
	}
	rep.add(serverCheck(inv, where))
	full, diags := conn.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true, ModelFolders: []string{"checkpoints"}})
	var classes map[string]json.RawMessage
	switch {
	case diags.HasErrors():
		rep.add("object_info", checkFail, healthDiagsText(diags), "check the server's log; a custom node pack that fails to import can break /object_info")
	case json.Unmarshal(full.ObjectInfoJSON, &classes) != nil || len(classes) == 0:
		rep.add("object_info", checkFail, "the node catalogue is empty or not JSON", "check the server's log for import errors")
	default:
		rep.add("object_info", checkOK, fmt.Sprintf("%d node classes", len(classes)), "")
	}
	rep.add(checkpointCheck(full, diags.HasErrors()))
	rep.add(queueCheck(ctx, conn))
	if smoke {
		rep.add(smokeCheck(ctx, conn, classes))
	}
}

func serverCheck(inv plugins.Inventory, where string) (string, string, string, string) {
	version := inv.ServerVersion
	if version == "" {
		version = "(version not reported)"
	}
	var devs []string
	for _, d := range inv.Devices {
		devs = append(devs, fmt.Sprintf("%s, %s VRAM", d.Name, host.Bytes(d.VRAMTotal)))
	}
	if len(devs) == 0 {
		devs = []string{"no devices reported"}
	}
	detail := fmt.Sprintf("ComfyUI %s at %s (%s)", version, where, strings.Join(devs, "; "))
	if inv.ServerVersion == "" {
		return "server", checkWarn, detail, "update ComfyUI: this server does not report comfyui_version in /system_stats"
	}
	return "server", checkOK, detail, ""
}

func checkpointCheck(inv plugins.Inventory, failed bool) (string, string, string, string) {
	if failed {
		return "checkpoints", checkSkip, "node catalogue unreadable", ""
	}
	m := inv.Models["checkpoints"]
	switch {
	case m.FolderMissing:
		return "checkpoints", checkFail, "the server has no checkpoints folder", "check the server's extra_model_paths.yaml and models/ directory"
	case len(m.Names) == 0:
		return "checkpoints", checkWarn, "no checkpoint in models/checkpoints",
			"declare one in a `model` block and `comfyhcl apply`, or `comfy model download --url URL --relative-path models/checkpoints`"
	}
	return "checkpoints", checkOK, fmt.Sprintf("%d (e.g. %s)", len(m.Names), m.Names[0]), ""
}

// queueBacklog is the pending count from which the queue is worth a warning.
const queueBacklog = 20

func queueCheck(ctx context.Context, conn *serverConn) (string, string, string, string) {
	q, diags := conn.Queue(ctx, plugins.QueueRequest{Op: plugins.QueueList})
	if diags.HasErrors() {
		return "queue", checkWarn, "cannot read the queue: " + healthDiagsText(diags), "check that the server allows GET /queue"
	}
	detail := fmt.Sprintf("%d running, %d pending", len(q.Running), len(q.Pending))
	switch {
	case len(q.Running) == 0 && len(q.Pending) == 0:
		return "queue", checkOK, "idle", ""
	case len(q.Running) == 0 && len(q.Pending) > 0:
		return "queue", checkWarn, detail + ": jobs wait but none runs", "the worker may be stuck: restart ComfyUI, or `comfyhcl queue clear`"
	case len(q.Pending) >= queueBacklog:
		return "queue", checkWarn, detail + ": a long backlog", "`comfyhcl queue clear` drops pending jobs"
	}
	return "queue", checkOK, detail, ""
}

func writeHealth(w io.Writer, rep *healthReport) {
	for _, c := range rep.Checks {
		fmt.Fprintf(w, "%-5s %-12s %s\n", c.Status, c.Name, c.Detail)
		if c.Fix != "" && c.Status != checkOK {
			fmt.Fprintf(w, "      %-12s fix: %s\n", "", c.Fix)
		}
	}
	if rep.OK {
		fmt.Fprintln(w, "\nhealthy")
	} else {
		fmt.Fprintln(w, "\nunhealthy: fix the failed checks above")
	}
}
