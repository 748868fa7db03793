package pool

import (
	"context"
	"sync"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/hashicorp/go-hclog"
)

// member is one server of the pool with what the pool knows of it.
type member struct {
	index  int
	cfg    MemberConfig
	client *comfyapi.Client // renders: submit, watch, fetch
	probe  *comfyapi.Client // health checks: one attempt, no retries

	mu          sync.Mutex
	down        bool
	failures    int           // consecutive failed health checks
	downCh      chan struct{} // closed when the member goes down; renewed when it comes back
	inflight    int           // renders this pool has on it
	serverQueue int           // running + pending, from the last health check
	catalog     *catalog
	placed      int // renders placed here (resubmissions included)
	finished    int // renders that ended here
}

func newMember(i int, cfg MemberConfig, log hclog.Logger) (*member, error) {
	c, err := comfyapi.New(comfyapi.Config{BaseURL: cfg.URL, Flavor: comfyapi.FlavorLocal, Token: cfg.Token, Logger: log})
	if err != nil {
		return nil, err
	}
	probe, err := comfyapi.New(comfyapi.Config{BaseURL: cfg.URL, Flavor: comfyapi.FlavorLocal, Token: cfg.Token, Logger: log, Retries: 1})
	if err != nil {
		c.Close()
		return nil, err
	}
	return &member{index: i, cfg: cfg, client: c, probe: probe, downCh: make(chan struct{})}, nil
}

// name is how messages call the member: its "name" label, else its URL.
func (m *member) name() string {
	if n := m.cfg.Labels["name"]; n != "" {
		return n + " (" + m.cfg.URL + ")"
	}
	return m.cfg.URL
}

func (m *member) isDown() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.down
}

// markDown records that the member stopped answering; renders watching it learn it
// through downSignal. It reports whether this call changed the state.
func (m *member) markDown() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.down {
		return false
	}
	m.down = true
	close(m.downCh)
	return true
}

func (m *member) markUp() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.failures = 0
	if !m.down {
		return false
	}
	m.down = false
	m.downCh = make(chan struct{})
	return true
}

// downSignal is closed when the member goes down.
func (m *member) downSignal() <-chan struct{} {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.downCh
}

// load is what least-queue compares: the larger of what this pool has in flight there
// and what the server last said it had queued, per unit of weight.
func (m *member) load() float64 {
	m.mu.Lock()
	defer m.mu.Unlock()
	return float64(max(m.inflight, m.serverQueue)) / m.cfg.Weight
}

func (m *member) addInflight(d int) {
	m.mu.Lock()
	m.inflight += d
	if d > 0 {
		m.placed++
	}
	m.mu.Unlock()
}

// unplace takes back a placement whose submit failed.
func (m *member) unplace() {
	m.mu.Lock()
	m.placed--
	m.mu.Unlock()
}

func (m *member) done() {
	m.mu.Lock()
	m.inflight--
	m.finished++
	m.mu.Unlock()
}

// undone takes back a render counted as finished here whose outputs could not be fetched
// before the member went down: it moves and is counted where it finishes again.
func (m *member) undone() {
	m.mu.Lock()
	m.finished--
	m.mu.Unlock()
}

// loadCatalog reads and caches the member's node catalogue (once: object_info is big).
func (m *member) loadCatalog(ctx context.Context) (*catalog, error) {
	m.mu.Lock()
	if c := m.catalog; c != nil {
		m.mu.Unlock()
		return c, nil
	}
	m.mu.Unlock()
	raw, err := m.client.ObjectInfo(ctx)
	if err != nil {
		return nil, err
	}
	c, err := parseCatalog(raw)
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	m.catalog = c
	m.mu.Unlock()
	return c, nil
}

func (m *member) close() {
	m.client.Close()
	m.probe.Close()
}
