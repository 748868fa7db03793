package pool

import (
	"context"
	"sync"
	"time"
)

// downAfter is how many health checks in a row must fail before a member is down: one
// slow answer does not take a server out of the pool.
const downAfter = 2

// watchHealth checks every member each interval until ctx ends: a member that fails
// downAfter checks in a row is marked down (its renders move elsewhere); one that
// answers again is back. Members are checked in parallel, so one that hangs does not
// delay the verdict on the others.
func (p *Provider) watchHealth(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		var wg sync.WaitGroup
		for _, m := range p.memberList() {
			wg.Add(1)
			go func() {
				defer wg.Done()
				p.checkMember(ctx, m, every)
			}()
		}
		wg.Wait()
	}
}

func (p *Provider) checkMember(ctx context.Context, m *member, every time.Duration) {
	cctx, cancel := context.WithTimeout(ctx, max(2*every, 2*time.Second)) // a busy server is slow, not down
	defer cancel()
	q, err := m.probe.Queue(cctx)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		m.mu.Lock()
		m.failures++
		fails := m.failures
		m.mu.Unlock()
		if fails >= downAfter && m.markDown() {
			p.log.Warn("pool member stopped answering; marked down", "member", m.name(), "error", err)
		}
		return
	}
	m.mu.Lock()
	m.serverQueue = len(q.Running) + len(q.Pending)
	m.mu.Unlock()
	if m.markUp() {
		p.log.Info("pool member answers again; back in the pool", "member", m.name())
	}
}
