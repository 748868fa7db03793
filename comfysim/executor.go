package comfysim

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// This file is main.py's prompt_worker and execution.py's PromptExecutor:
// one prompt at a time, events in ComfyUI's order and with its routing.

var errInterrupted = errors.New("interrupted") // InterruptProcessingException

// execState is what a WebSocket connecting mid-run needs to know, and the
// runs that POST /interrupt can reach.
type execState struct {
	mu       sync.Mutex
	clientID string
	lastNode string
	running  bool
	runs     map[string]*run
}

func (s *Server) executingNodeFor(sid string) (string, bool) {
	s.exec.mu.Lock()
	defer s.exec.mu.Unlock()
	if s.exec.running && s.exec.clientID != "" && s.exec.clientID == sid && s.exec.lastNode != "" {
		return s.exec.lastNode, true
	}
	return "", false
}

// setInterrupt is POST /interrupt: "" = every running prompt (ComfyUI's
// global flag, which execute() resets, so an idle interrupt is a no-op),
// else only that prompt if it runs.
func (s *Server) setInterrupt(promptID string) {
	s.exec.mu.Lock()
	defer s.exec.mu.Unlock()
	for id, r := range s.exec.runs {
		if promptID == "" || id == promptID {
			r.interrupt.Store(true)
		}
	}
}

func (s *Server) worker() {
	for {
		it := s.queue.get()
		if it == nil {
			return
		}
		r := s.newRun(it)
		s.exec.mu.Lock()
		if s.exec.runs == nil {
			s.exec.runs = map[string]*run{}
		}
		s.exec.runs[it.id] = r
		s.exec.mu.Unlock()
		s.jobs.start(it.id)
		t0 := time.Now()
		r.execute()
		if r.success {
			s.logf("Prompt executed in %.2f seconds", time.Since(t0).Seconds())
		}
		f := s.currentFaults()
		select { // the history-after-execution_success race
		case <-time.After(f.HistoryLag):
		case <-s.stop:
		}
		s.hist.put(it.id, r.historyEntry())
		s.queue.taskDone(it)
		if r.attached {
			s.hub.send("executing", map[string]any{"node": nil, "prompt_id": it.id}, r.route)
		}
		s.jobs.finish(it.id, r)
		s.exec.mu.Lock()
		s.exec.running = false
		delete(s.exec.runs, it.id)
		s.exec.mu.Unlock()
		s.count(func(st *Stats) { st.Runs++ })
	}
}

// run is one execution of one queue item.
type run struct {
	s         *Server
	item      *queueItem
	clientID  string
	route     string // sid for per-prompt messages; "" = broadcast (no client, or cloud)
	attached  bool   // a client receives execution messages (client_id set, or cloud)
	faults    Faults
	messages  [][]any
	success   bool
	sigs      map[string]uint64
	values    map[string][]any // outputs by node id
	uiOut     *omap            // node id -> ui output
	executed  []string
	progress  *omap // progress_state registry: node id -> state
	interrupt atomic.Bool
	snap      map[string]cachedNode // cache hits taken at execution_cached

	wasInterrupted bool
}

func (s *Server) newRun(it *queueItem) *run {
	cid, _ := it.extra["client_id"].(string)
	r := &run{s: s, item: it, clientID: cid, route: cid, attached: cid != "", faults: s.currentFaults(), sigs: map[string]uint64{},
		values: map[string][]any{}, uiOut: newOmap(), progress: newOmap(), snap: map[string]cachedNode{}}
	if s.cloud() { // Cloud ignores client ids: every socket of the user sees every job
		r.route, r.attached = "", true
	}
	return r
}

func nowMS() int64 { return time.Now().UnixMilli() }

// addMessage is PromptExecutor.add_message.
func (r *run) addMessage(event string, data map[string]any, broadcast bool) {
	data["timestamp"] = nowMS()
	r.messages = append(r.messages, []any{event, data})
	if r.attached || broadcast {
		r.s.hub.send(event, data, r.route)
	}
}

// sendClient sends only when the prompt has a client id (executing, executed).
func (r *run) sendClient(event string, data map[string]any) {
	if r.attached {
		r.s.hub.send(event, data, r.route)
	}
}

func (r *run) execute() {
	s, id := r.s, r.item.id
	s.exec.mu.Lock()
	s.exec.running = true
	s.exec.clientID = r.clientID
	s.exec.lastNode = ""
	s.exec.mu.Unlock()

	if s.cloud() {
		r.sendClient("notification", map[string]any{"value": "Executing workflow...", "prompt_id": id})
	}
	r.addMessage("execution_start", map[string]any{"prompt_id": id}, false)
	prompt := r.item.prompt
	ids := sortedIDs(prompt)
	cached := []string{}
	for _, n := range ids {
		if c, ok := s.cache.get(r.sig(n, map[string]bool{})); ok {
			cached = append(cached, n)
			r.snap[n] = c // concurrent runs (cloud tiers) may prune the cache meanwhile
		}
	}
	r.addMessage("execution_cached", map[string]any{"nodes": cached, "prompt_id": id}, false)

	el := newExecList(r)
	for _, o := range r.item.outputs {
		el.addNode(o)
	}
	var failNode string
	var failErr error
	for !el.empty() {
		n := el.stage()
		if err := r.executeNode(n); err != nil {
			failNode, failErr = n, err
			break
		}
		r.executed = append(r.executed, n)
		el.complete(n)
	}
	keep := map[uint64]bool{}
	for _, n := range ids {
		keep[r.sig(n, map[string]bool{})] = true
	}
	s.cache.prune(keep)
	if failErr != nil {
		r.fail(failNode, failErr)
		return
	}
	r.success = true
	r.addMessage("execution_success", map[string]any{"prompt_id": id}, false)
}

func (r *run) historyEntry() *historyEntry {
	e := &historyEntry{Prompt: r.item.tuple(), Outputs: newOmap(), Meta: newOmap(),
		Status: historyStatus{StatusStr: "error", Completed: r.success, Messages: r.messages}}
	if r.success {
		e.Status.StatusStr = "success"
		e.Outputs = r.uiOut
		for _, n := range r.uiOut.keys {
			e.Meta.set(n, map[string]any{"node_id": n, "display_node": n, "parent_node": nil, "real_node_id": n})
		}
	}
	return e
}

// sortedKeys is a helper for deterministic iteration.
func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i], out[j]) })
	return out
}
