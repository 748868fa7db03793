package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// healthServerChecks runs the checks that need the server: reachability and version, node
// catalogue, checkpoints, queue, and the optional smoke job.
func healthServerChecks(ctx context.Context, conn *serverConn, where string, rep *healthReport, smoke bool) {
	inv, diags := conn.Inventory(ctx, plugins.InventoryRequest{})
	if diags.HasErrors() {
		rep.add("server", healthFail, healthDiagsText(diags), "start ComfyUI (`comfyhcl setup`), or point -url at a running server")
		healthSkipRest(rep, smoke)
		return
	}
	rep.add(healthServerCheck(inv, where))
	full, diags := conn.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true, ModelFolders: []string{"checkpoints"}})
	var classes map[string]json.RawMessage
	switch {
	case diags.HasErrors():
		rep.add("object_info", healthFail, healthDiagsText(diags), "check the server's log; a custom node pack that fails to import can break /object_info")
	case json.Unmarshal(full.ObjectInfoJSON, &classes) != nil || len(classes) == 0:
		rep.add("object_info", healthFail, "the node catalogue is empty or not JSON", "check the server's log for import errors")
	default:
		rep.add("object_info", healthOK, fmt.Sprintf("%d node classes", len(classes)), "")
	}
	rep.add(healthCheckpoints(full, diags.HasErrors()))
	qc, busy := healthQueue(ctx, conn)
	rep.Checks = append(rep.Checks, qc)
	switch {
	case smoke && busy > 0:
		rep.add("smoke", healthWarn, fmt.Sprintf("skipped: the server is busy with %d job(s) and the smoke job would wait behind them", busy),
			"run `comfyhcl health -smoke` again when the queue is idle")
	case smoke:
		rep.add(smokeCheck(ctx, conn, classes))
	}
}

func healthServerCheck(inv plugins.Inventory, where string) (string, string, string, string) {
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
		return "server", healthWarn, detail, "update ComfyUI: this server does not report comfyui_version in /system_stats"
	}
	return "server", healthOK, detail, ""
}

func healthCheckpoints(inv plugins.Inventory, failed bool) (string, string, string, string) {
	if failed {
		return "checkpoints", healthSkip, "node catalogue unreadable", ""
	}
	m := inv.Models["checkpoints"]
	switch {
	case m.FolderMissing:
		return "checkpoints", healthFail, "the server has no checkpoints folder", "check the server's extra_model_paths.yaml and models/ directory"
	case len(m.Names) == 0:
		return "checkpoints", healthWarn, "no checkpoint in models/checkpoints",
			"declare one in a `model` block and `comfyhcl apply`, or `comfy model download --url URL --relative-path models/checkpoints`"
	}
	return "checkpoints", healthOK, fmt.Sprintf("%d (e.g. %s)", len(m.Names), m.Names[0]), ""
}

// healthQueueBacklog is the pending count from which the queue is worth a warning.
const healthQueueBacklog = 20

// healthQueue reads the queue; busy is the number of jobs running or waiting.
func healthQueue(ctx context.Context, conn *serverConn) (c healthCheck, busy int) {
	c.Name = "queue"
	q, diags := conn.Queue(ctx, plugins.QueueRequest{Op: plugins.QueueList})
	if diags.HasErrors() {
		c.Status, c.Detail, c.Fix = healthWarn, "cannot read the queue: "+healthDiagsText(diags), "check that the server allows GET /queue"
		return c, 0
	}
	busy = len(q.Running) + len(q.Pending)
	detail := fmt.Sprintf("%d running, %d pending", len(q.Running), len(q.Pending))
	switch {
	case busy == 0:
		c.Status, c.Detail = healthOK, "idle"
	case len(q.Running) == 0:
		c.Status, c.Detail, c.Fix = healthWarn, detail+": jobs wait but none runs", "the worker may be stuck: restart ComfyUI, or `comfyhcl queue clear`"
	case len(q.Pending) >= healthQueueBacklog:
		c.Status, c.Detail, c.Fix = healthWarn, detail+": a long backlog", "`comfyhcl queue clear` drops pending jobs"
	default:
		c.Status, c.Detail = healthOK, detail
	}
	return c, busy
}
