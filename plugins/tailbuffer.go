package plugins

import (
	"strings"
	"sync"
)

// tailBuffer keeps the last n lines written to it: a provider's stderr, for diagnostics.
type tailBuffer struct {
	mu    sync.Mutex
	n     int
	lines []string
	part  string
}

func newTailBuffer(n int) *tailBuffer { return &tailBuffer{n: n} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	chunks := strings.Split(t.part+string(p), "\n")
	t.part = chunks[len(chunks)-1]
	for _, l := range chunks[:len(chunks)-1] {
		if l = strings.TrimRight(l, "\r"); l != "" {
			t.lines = append(t.lines, l)
		}
	}
	if len(t.lines) > t.n {
		t.lines = t.lines[len(t.lines)-t.n:]
	}
	return len(p), nil
}

func (t *tailBuffer) Lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]string(nil), t.lines...)
	if t.part != "" {
		out = append(out, t.part)
	}
	return out
}
