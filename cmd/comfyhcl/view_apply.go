package main

import (
	"encoding/json"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// applyView reports apply's progress: one line per meaningful event for a person (or a
// log file), or one JSON object per line with -json. Progress events are throttled so a
// long sampler does not flood the terminal.
type applyView struct {
	mu        sync.Mutex
	w         io.Writer
	json      bool
	color     bool
	lastStep  map[string]time.Time
	succeeded int
	failed    int
	removed   int
	installed int
	skipped   int
	outputs   []string
}

func newApplyView(w io.Writer, jsonOut, color bool) *applyView {
	return &applyView{w: w, json: jsonOut, color: color, lastStep: map[string]time.Time{}}
}

func (v *applyView) emit(addr, kind string, fields map[string]any, human string) {
	if v.json {
		obj := map[string]any{"type": kind, "address": addr, "time": time.Now().UTC().Format(time.RFC3339Nano)}
		for k, x := range fields {
			obj[k] = x
		}
		b, _ := json.Marshal(obj)
		fmt.Fprintln(v.w, string(b))
		return
	}
	fmt.Fprintf(v.w, "%s: %s\n", addr, human)
}

func (v *applyView) RenderSubmitted(addr, promptID string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.emit(addr, "render_submitted", map[string]any{"prompt_id": promptID}, "submitted (prompt "+promptID+")")
}

func (v *applyView) RenderEvent(addr string, ev plugins.Event) {
	v.mu.Lock()
	defer v.mu.Unlock()
	fields := map[string]any{"event": ev.Kind.String(), "node": ev.NodeID, "fraction": ev.WorkflowFraction}
	switch ev.Kind {
	case plugins.EventStarted:
		v.emit(addr, "render_event", fields, "started")
	case plugins.EventCached:
		if len(ev.CachedNodes) > 0 {
			fields["cached_nodes"] = ev.CachedNodes
			v.emit(addr, "render_event", fields, fmt.Sprintf("%d node(s) cached", len(ev.CachedNodes)))
		}
	case plugins.EventExecuting:
		v.emit(addr, "render_event", fields, fmt.Sprintf("executing node %s%s", ev.NodeID, percent(ev.WorkflowFraction)))
	case plugins.EventProgress:
		if ev.Value < ev.Max && time.Since(v.lastStep[addr]) < 500*time.Millisecond {
			return
		}
		v.lastStep[addr] = time.Now()
		fields["value"], fields["max"] = ev.Value, ev.Max
		v.emit(addr, "render_event", fields, fmt.Sprintf("node %s step %d/%d%s", ev.NodeID, ev.Value, ev.Max, percent(ev.WorkflowFraction)))
	}
}

func percent(f float64) string {
	if f <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%.0f%% of workflow)", f*100)
}

func (v *applyView) RenderFinished(addr string, r core.RenderResult) {
	v.mu.Lock()
	defer v.mu.Unlock()
	files := []map[string]any{}
	for _, f := range r.Outputs {
		files = append(files, map[string]any{"path": f.Path, "size": f.Size, "sha256": f.SHA256})
		v.outputs = append(v.outputs, f.Path)
	}
	if r.Status != "succeeded" {
		v.failed++
		v.emit(addr, "render_finished", map[string]any{"status": r.Status, "prompt_id": r.PromptID}, paint(v.color, ansiRed, "failed"))
		return
	}
	v.succeeded++
	v.emit(addr, "render_finished", map[string]any{"status": r.Status, "prompt_id": r.PromptID, "outputs": files},
		paint(v.color, ansiGreen, fmt.Sprintf("succeeded, %d output(s)", len(r.Outputs))))
	if !v.json {
		for _, f := range r.Outputs {
			fmt.Fprintf(v.w, "    %s  (%d bytes, sha256 %.12s)\n", f.Path, f.Size, f.SHA256)
		}
	}
}

func (v *applyView) OutputRemoved(addr, path string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.removed++
	v.emit(addr, "output_removed", map[string]any{"path": path}, "removed old output "+path)
}

func (v *applyView) InstallProgress(addr string, p plugins.InstallProgress) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if p.BytesDone < p.BytesTotal && time.Since(v.lastStep[addr]) < time.Second {
		return
	}
	v.lastStep[addr] = time.Now()
	human := p.Message
	if p.BytesTotal > 0 {
		human = fmt.Sprintf("%s of %s (%.0f%%)", humanBytes(p.BytesDone), humanBytes(p.BytesTotal), 100*float64(p.BytesDone)/float64(p.BytesTotal))
	}
	v.emit(addr, "install_progress", map[string]any{"bytes_done": p.BytesDone, "bytes_total": p.BytesTotal, "message": p.Message}, human)
}

func (v *applyView) InstallFinished(addr string, ok bool, summary string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !ok {
		v.failed++
		v.emit(addr, "install_finished", map[string]any{"ok": false}, paint(v.color, ansiRed, "failed"))
		return
	}
	v.installed++
	v.emit(addr, "install_finished", map[string]any{"ok": true, "summary": summary}, paint(v.color, ansiGreen, "done: "+summary))
}

func (v *applyView) Skipped(addr, because string) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.skipped++
	v.emit(addr, "skipped", map[string]any{"because": because}, paint(v.color, ansiYellow, "skipped: "+because))
}

func (v *applyView) summary(interrupted bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.json {
		b, _ := json.Marshal(map[string]any{"type": "apply_complete", "succeeded": v.succeeded, "failed": v.failed,
			"installed": v.installed, "skipped": v.skipped, "removed_outputs": v.removed, "interrupted": interrupted})
		fmt.Fprintln(v.w, string(b))
		return
	}
	word := "complete!"
	switch {
	case interrupted:
		word = "interrupted."
	case v.failed > 0:
		word = "finished with errors."
	}
	fmt.Fprintf(v.w, "\nApply %s Renders: %d succeeded, %d failed, %d skipped. Models and node packs: %d done.\n",
		word, v.succeeded, v.failed, v.skipped, v.installed)
}
