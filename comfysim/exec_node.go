package comfysim

import (
	"errors"
	"fmt"
	"time"
)

// execCtx is what a node implementation sees of the run.
type execCtx struct {
	s      *Server
	r      *run
	nodeID string
	class  string
	sig    uint64
	faults Faults
}

// executeNode is execution.py execute() for one staged node.
func (r *run) executeNode(id string) error {
	s, pid := r.s, r.item.id
	class := classOf(r.item.prompt, id)
	sig := r.sig(id, map[string]bool{})
	if c, ok := r.snap[id]; ok {
		var out any
		if c.ui != nil {
			out = c.ui
			r.uiOut.set(id, c.ui)
		}
		r.sendClient("executed", map[string]any{"node": id, "display_node": id, "output": out, "prompt_id": pid})
		r.values[id] = c.values
		r.finishProgress(id, 1)
		return nil
	}
	r.startProgress(id)
	s.exec.mu.Lock()
	s.exec.lastNode = id
	s.exec.mu.Unlock()
	r.sendClient("executing", map[string]any{"node": id, "display_node": id, "prompt_id": pid})
	if r.interrupt.Load() {
		return errInterrupted
	}
	in := r.resolveInputs(id)
	if r.faults.FailClass != "" && r.faults.FailClass == class {
		return &nodeError{typ: r.faults.FailType, msg: r.faults.FailMessage}
	}
	if r.faults.OOMClass != "" && r.faults.OOMClass == class {
		return &nodeError{typ: "torch.OutOfMemoryError", msg: "Allocation on device ", tips: oomTips}
	}
	x := &execCtx{s: s, r: r, nodeID: id, class: class, sig: sig, faults: r.faults}
	vals, ui, err := implFor(class).run(x, in)
	if err != nil {
		return err
	}
	r.values[id] = vals
	s.cache.put(sig, cachedNode{values: vals, ui: ui})
	if ui != nil {
		r.uiOut.set(id, ui)
		r.sendClient("executed", map[string]any{"node": id, "display_node": id, "output": ui, "prompt_id": pid})
	}
	r.finishProgress(id, -1)
	return nil
}

func (r *run) resolveInputs(id string) map[string]any {
	node := nodeOf(r.item.prompt, id)
	inputs, _ := node["inputs"].(map[string]any)
	out := make(map[string]any, len(inputs))
	for k, v := range inputs {
		out[k] = v
	}
	for _, l := range r.links(id) {
		vals, ok := r.values[l.from]
		if !ok {
			if c, hit := r.snap[l.from]; hit {
				vals = c.values
			}
		}
		if l.slot >= 0 && l.slot < len(vals) {
			out[l.input] = vals[l.slot]
		}
	}
	return out
}

// fail is handle_execution_error.
func (r *run) fail(id string, err error) {
	class := classOf(r.item.prompt, id)
	executed := append([]string{}, r.executed...)
	if errors.Is(err, errInterrupted) {
		r.wasInterrupted = true
		r.s.logf("Processing interrupted")
		r.addMessage("execution_interrupted", map[string]any{"prompt_id": r.item.id, "node_id": id, "node_type": class, "executed": executed}, true)
		return
	}
	var ne *nodeError
	if !errors.As(err, &ne) {
		ne = &nodeError{typ: "Exception", msg: err.Error()}
	}
	r.s.logf("!!! Exception during processing !!! %s", ne.msg)
	tb := append(append([]string{}, tbExecute...), ne.tb...)
	if len(ne.tb) == 0 {
		tb = append(tb, fmt.Sprintf("  File \"/opt/ComfyUI/nodes.py\", line 1500, in %s\n    raise %s(msg)\n", class, ne.typ))
	}
	cur := map[string]any{}
	for k, v := range r.resolveInputs(id) {
		cur[k] = []any{reprValue(v)}
	}
	outs := []string{}
	for _, n := range sortedIDs(r.item.prompt) {
		if _, ok := r.s.cache.get(r.sig(n, map[string]bool{})); ok {
			outs = append(outs, n)
		}
	}
	r.addMessage("execution_error", map[string]any{
		"prompt_id": r.item.id, "node_id": id, "node_type": class, "executed": executed,
		"exception_message": ne.msg + "\n" + ne.tips, "exception_type": ne.typ, "traceback": tb,
		"current_inputs": cur, "current_outputs": outs,
	}, false)
}

var tbExecute = []string{
	"  File \"/opt/ComfyUI/execution.py\", line 496, in execute\n    output_data, output_ui, has_subgraph, has_pending_tasks = await get_output_data(prompt_id, unique_id, obj, input_data_all, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n",
	"  File \"/opt/ComfyUI/execution.py\", line 315, in get_output_data\n    return_values = await _async_map_node_over_list(prompt_id, unique_id, obj, input_data_all, obj.FUNCTION, allow_interrupt=True, execution_block_cb=execution_block_cb, pre_execute_cb=pre_execute_cb, hidden_inputs=hidden_inputs)\n",
	"  File \"/opt/ComfyUI/execution.py\", line 289, in _async_map_node_over_list\n    await process_inputs(input_dict, i)\n",
	"  File \"/opt/ComfyUI/execution.py\", line 277, in process_inputs\n    result = f(**inputs)\n             ^^^^^^^^^^^\n",
}

// progress_state registry (comfy_execution/progress.py).
func (r *run) progressEntry(id string, value, max float64, state string) map[string]any {
	e := map[string]any{"value": value, "max": max, "state": state, "node_id": id, "prompt_id": r.item.id,
		"display_node_id": id, "parent_node_id": nil, "real_node_id": id}
	if r.s.cloud() {
		e["class_type"] = classOf(r.item.prompt, id)
	}
	return e
}

func (r *run) sendProgressState() {
	nodes := newOmap()
	for _, k := range r.progress.keys {
		nodes.set(k, r.progress.m[k])
	}
	r.s.hub.send("progress_state", map[string]any{"prompt_id": r.item.id, "nodes": nodes}, r.route)
}

func (r *run) startProgress(id string) {
	r.progress.set(id, r.progressEntry(id, 0, 1, "running"))
	r.sendProgressState()
}

// finishProgress marks a node finished with value = max (max < 0 keeps the current max).
func (r *run) finishProgress(id string, max float64) {
	if max < 0 {
		max = 1
		if e, ok := r.progress.get(id); ok {
			max, _ = e.(map[string]any)["max"].(float64)
		}
	}
	r.progress.set(id, r.progressEntry(id, max, max, "finished"))
	r.sendProgressState()
}

// progress is the ProgressBar hook: progress_state then progress.
func (x *execCtx) progress(value, max int) {
	x.r.progress.set(x.nodeID, x.r.progressEntry(x.nodeID, float64(value), float64(max), "running"))
	x.r.sendProgressState()
	x.s.hub.send("progress", map[string]any{"value": value, "max": max, "prompt_id": x.r.item.id, "node": x.nodeID}, x.r.route)
}

// progressPreview is a ProgressBar update carrying a preview image, in the
// order the capture shows for each kind of client.
func (x *execCtx) progressPreview(value, max int, img []byte, jpeg bool) {
	x.r.progress.set(x.nodeID, x.r.progressEntry(x.nodeID, float64(value), float64(max), "running"))
	x.r.sendProgressState()
	meta := map[string]any{"node_id": x.nodeID, "prompt_id": x.r.item.id, "display_node_id": x.nodeID,
		"parent_node_id": nil, "real_node_id": x.nodeID}
	x.s.hub.sendProgressPreview(x.r.route, map[string]any{"value": value, "max": max, "prompt_id": x.r.item.id, "node": x.nodeID}, img, jpeg, meta)
}

// work simulates d of uninterruptible work, cut short (without error) by
// an interrupt, which the executor then raises at the next node.
func (x *execCtx) work(d time.Duration) {
	x.s.working.Add(1)
	defer x.s.working.Add(-1)
	_ = x.sleep(d)
}

// sleep waits d, returning errInterrupted if an interrupt arrives.
func (x *execCtx) sleep(d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		if x.r.interrupt.Load() {
			return errInterrupted
		}
		left := time.Until(deadline)
		if left <= 0 {
			return nil
		}
		if left > time.Millisecond {
			left = time.Millisecond
		}
		select {
		case <-x.s.stop:
			return errInterrupted
		case <-time.After(left):
		}
	}
}
