package pool

import (
	"fmt"
	"strconv"
	"strings"
)

// Spread is how many renders each member ran, as the pool reports it at the end of a
// command (in its log) and in Fetch warnings after a failover.
type Spread struct {
	Member   string
	Placed   int
	Finished int
	Down     bool
}

// Spread returns the current placement counts per member, in configuration order.
func (p *Provider) Spread() []Spread {
	var out []Spread
	for _, m := range p.memberList() {
		m.mu.Lock()
		out = append(out, Spread{Member: m.name(), Placed: m.placed, Finished: m.finished, Down: m.down})
		m.mu.Unlock()
	}
	return out
}

func spreadSummary(members []*member) string {
	var parts []string
	for _, m := range members {
		m.mu.Lock()
		s := fmt.Sprintf("%s=%d", m.cfg.URL, m.finished)
		if m.down {
			s += "(down, " + strconv.Itoa(m.placed) + " placed)"
		}
		m.mu.Unlock()
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func itoa(i int) string { return strconv.Itoa(i) }
