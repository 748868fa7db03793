package pool

import (
	"context"
	"fmt"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// place picks the member for a render: among members that answer and have everything
// the graph needs, the least loaded per weight (least-queue) or the next in turn
// (round-robin). The chosen member's in-flight count is raised before place returns,
// so concurrent submits spread out.
func (p *Provider) place(ctx context.Context, needs []need, exclude map[*member]bool) (*member, plugins.Diagnostics) {
	var eligible, why []string
	var ms []*member
	for _, m := range p.memberList() {
		switch {
		case exclude[m]:
			why = append(why, m.name()+" failed this render already")
			continue
		case m.isDown():
			why = append(why, m.name()+" is not answering")
			continue
		}
		cat, err := m.loadCatalog(ctx)
		if err != nil {
			why = append(why, fmt.Sprintf("%s: cannot read its node catalogue: %v", m.name(), err))
			continue
		}
		if lacks := cat.lacks(needs); len(lacks) > 0 {
			why = append(why, fmt.Sprintf("%s lacks %s", m.name(), joinNeeds(lacks, 4)))
			continue
		}
		ms = append(ms, m)
		eligible = append(eligible, m.name())
	}
	if len(ms) == 0 {
		return nil, plugins.Errorf("No pool member can run this render",
			"%s.\nInstall what is missing on a member (a `node` or `model` block on a provider for that server), or bring a member back.", strings.Join(why, ";\n"))
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	var pick *member
	if p.cfg.Strategy == StrategyRoundRobin {
		pick = weightedTurn(ms, p.rr)
		p.rr++
	} else {
		for _, m := range ms {
			if pick == nil || m.load() < pick.load() {
				pick = m
			}
		}
	}
	pick.addInflight(1)
	return pick, nil
}

// weightedTurn is the turn-th member of a cycle where each member appears in
// proportion to its weight (rounded, at least once).
func weightedTurn(ms []*member, turn int) *member {
	var cycle []*member
	for _, m := range ms {
		n := max(1, int(m.cfg.Weight+0.5))
		for i := 0; i < n; i++ {
			cycle = append(cycle, m)
		}
	}
	return cycle[turn%len(cycle)]
}

func joinNeeds(ns []need, limit int) string {
	var parts []string
	for i, n := range ns {
		if i == limit {
			parts = append(parts, fmt.Sprintf("and %d more", len(ns)-limit))
			break
		}
		parts = append(parts, n.String())
	}
	return strings.Join(parts, ", ")
}
