package comfysim

import (
	"sync"
)

const maxHistory = 10000 // MAXIMUM_HISTORY_SIZE

// historyEntry is one /history value; field order is ComfyUI's.
type historyEntry struct {
	Prompt  []any         `json:"prompt"`
	Outputs *omap         `json:"outputs"`
	Status  historyStatus `json:"status"`
	Meta    *omap         `json:"meta"`
}

type historyStatus struct {
	StatusStr string  `json:"status_str"`
	Completed bool    `json:"completed"`
	Messages  [][]any `json:"messages"`
}

type history struct {
	mu  sync.Mutex
	ids []string
	m   map[string]*historyEntry
}

func newHistory() *history { return &history{m: map[string]*historyEntry{}} }

func (h *history) put(id string, e *historyEntry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.m[id]; ok {
		h.removeLocked(id) // re-inserted at the end, like a dict pop + set
	}
	h.ids = append(h.ids, id)
	h.m[id] = e
	for len(h.ids) > maxHistory {
		delete(h.m, h.ids[0])
		h.ids = h.ids[1:]
	}
}

func (h *history) removeLocked(id string) {
	delete(h.m, id)
	for i, x := range h.ids {
		if x == id {
			h.ids = append(h.ids[:i:i], h.ids[i+1:]...)
			return
		}
	}
}

func (h *history) get(id string) (*historyEntry, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	e, ok := h.m[id]
	return e, ok
}

// list implements get_history(max_items, offset) (offset -1 = unset).
func (h *history) list(maxItems int, hasMax bool, offset int) *omap {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := newOmap()
	if offset < 0 && hasMax {
		offset = len(h.ids) - maxItems
	}
	for i, id := range h.ids {
		if i >= offset {
			out.set(id, h.m[id])
			if hasMax && len(out.keys) >= maxItems {
				break
			}
		}
	}
	return out
}

func (h *history) clear() {
	h.mu.Lock()
	h.ids = nil
	h.m = map[string]*historyEntry{}
	h.mu.Unlock()
}

func (h *history) delete(id string) {
	h.mu.Lock()
	h.removeLocked(id)
	h.mu.Unlock()
}
