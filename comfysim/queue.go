package comfysim

import (
	"container/heap"
	"encoding/json"
	"sync"
)

// queueItem is ComfyUI's queue tuple (number, prompt_id, prompt,
// extra_data, outputs_to_execute) plus the stripped sensitive keys.
type queueItem struct {
	number    json.Number // echoed as sent: 12, -22, 5.5
	numF      float64
	id        string
	prompt    map[string]any // as posted (json.Number values), echoed in /queue and /history
	extra     map[string]any
	outputs   []string
	sensitive map[string]any
	created   int64 // ms
}

func (it *queueItem) tuple() []any {
	return []any{it.number, it.id, it.prompt, it.extra, it.outputs}
}

type itemHeap []*queueItem

func (h itemHeap) Len() int { return len(h) }
func (h itemHeap) Less(i, j int) bool {
	if h[i].numF != h[j].numF {
		return h[i].numF < h[j].numF
	}
	return h[i].id < h[j].id
}
func (h itemHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *itemHeap) Push(x any)   { *h = append(*h, x.(*queueItem)) }
func (h *itemHeap) Pop() any {
	old := *h
	it := old[len(old)-1]
	*h = old[:len(old)-1]
	return it
}

// promptQueue is PromptQueue: a min-heap on number with one running slot.
type promptQueue struct {
	mu      sync.Mutex
	cond    *sync.Cond
	pending itemHeap
	running []*queueItem // at most `slots` items (1 locally, tier concurrency on cloud)
	slots   int
	counter int64
	closed  bool
	// notify is PromptServer.queue_updated, called with the lock held so
	// status broadcasts are ordered with the queue changes they report.
	notify func(remaining int)
}

func newPromptQueue(slots int) *promptQueue {
	q := &promptQueue{slots: max(slots, 1)}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// nextNumber implements post_prompt's numbering: the counter advances for
// every prompt without an explicit number, even rejected ones.
func (q *promptQueue) nextNumber(front bool) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	n := q.counter
	q.counter++
	if front {
		return -n
	}
	return n
}

func (q *promptQueue) updatedLocked() {
	if q.notify != nil {
		q.notify(len(q.pending) + len(q.running))
	}
}

func (q *promptQueue) put(it *queueItem) {
	q.mu.Lock()
	heap.Push(&q.pending, it)
	q.updatedLocked()
	q.mu.Unlock()
	q.cond.Broadcast()
}

// get blocks for the next item and marks it running; nil once closed.
func (q *promptQueue) get() *queueItem {
	q.mu.Lock()
	defer q.mu.Unlock()
	for (len(q.pending) == 0 || len(q.running) >= q.slots) && !q.closed {
		q.cond.Wait()
	}
	if q.closed {
		return nil
	}
	it := heap.Pop(&q.pending).(*queueItem)
	q.running = append(q.running, it)
	q.updatedLocked()
	return it
}

func (q *promptQueue) taskDone(it *queueItem) {
	q.mu.Lock()
	for i, r := range q.running {
		if r == it {
			q.running = append(q.running[:i:i], q.running[i+1:]...)
			break
		}
	}
	q.updatedLocked()
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *promptQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.mu.Unlock()
	q.cond.Broadcast()
}

func (q *promptQueue) remaining() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.pending) + len(q.running)
}

// snapshot returns (running, pending) items rendered by tuple; pending in
// heap order.
func (q *promptQueue) snapshot(tuple func(*queueItem) []any) ([]any, []any) {
	q.mu.Lock()
	defer q.mu.Unlock()
	run := []any{}
	for _, it := range q.running {
		run = append(run, tuple(it))
	}
	pend := []any{}
	for _, it := range q.pending {
		pend = append(pend, tuple(it))
	}
	return run, pend
}

func (q *promptQueue) clear() []string {
	q.mu.Lock()
	defer q.mu.Unlock()
	var ids []string
	for _, it := range q.pending {
		ids = append(ids, it.id)
	}
	q.pending = nil
	q.updatedLocked()
	return ids
}

// delete removes pending items by id (list pop + heapify, as
// delete_queue_item does); running items are unaffected.
func (q *promptQueue) delete(ids []string) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	removed := false
	for _, id := range ids {
		for i, it := range q.pending {
			if it.id == id {
				q.pending = append(q.pending[:i:i], q.pending[i+1:]...)
				heap.Init(&q.pending)
				q.updatedLocked()
				removed = true
				break
			}
		}
	}
	return removed
}
