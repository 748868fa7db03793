package pool

import (
	"context"
	"sync"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
)

// Version is the pool provider's release; the build may set it with
// -ldflags "-X github.com/comfyhcl/comfyhcl/providers/pool.Version=...".
var Version = "1.0.0"

// Provider implements plugins.Provider over a set of ComfyUI servers.
type Provider struct {
	// Estate management and operator commands are per server, not per pool: they
	// answer "not supported" (use a `local` provider per server for those).
	plugins.UnimplementedProvider
	log hclog.Logger

	mu       sync.Mutex
	cfg      Config
	members  []*member
	jobs     *jobTable
	rr       int // round-robin cursor
	stopping context.CancelFunc
}

// New returns an unconfigured pool provider.
func New(log hclog.Logger) *Provider {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Provider{UnimplementedProvider: plugins.UnimplementedProvider{Name: "pool"}, log: log, jobs: newJobTable()}
}

// Metadata describes the provider; it works unconfigured (for `describe`).
func (p *Provider) Metadata(context.Context) (plugins.Metadata, plugins.Diagnostics) {
	return plugins.Metadata{Name: "pool", Version: Version, ProtocolMinor: plugins.ProtocolMinor,
		Capabilities: []string{"renders", "failover"}, ConfigSchema: configSchema}, nil
}

// Configure reads the members and starts their health checks. It does not wait for
// the servers: plan reads them through Inventory.
func (p *Provider) Configure(_ context.Context, req plugins.ConfigureRequest) (plugins.ConfigureResult, plugins.Diagnostics) {
	cfg, every, diags := parseConfig(req.ConfigJSON)
	if diags.HasErrors() {
		return plugins.ConfigureResult{}, diags
	}
	members := make([]*member, 0, len(cfg.Members))
	for i, mc := range cfg.Members {
		m, err := newMember(i, mc, p.log.Named("member").With("url", mc.URL))
		if err != nil {
			for _, m := range members {
				m.close()
			}
			return plugins.ConfigureResult{}, plugins.Diagnostics{{Severity: plugins.SeverityError,
				Summary: "Invalid pool member", Detail: err.Error(), AttributePath: []string{"members", itoa(i), "url"}}}
		}
		members = append(members, m)
	}
	p.Stop(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	p.mu.Lock()
	p.cfg, p.members, p.stopping = cfg, members, cancel
	p.mu.Unlock()
	go p.watchHealth(ctx, every)
	p.log.Info("pool configured", "members", len(members), "strategy", cfg.Strategy, "concurrency", cfg.Concurrency)
	return plugins.ConfigureResult{Concurrency: cfg.Concurrency}, diags
}

// Stop ends the health checks, reports how renders were spread, and closes the
// connections.
func (p *Provider) Stop(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.stopping != nil {
		p.stopping()
		p.stopping = nil
	}
	if len(p.members) > 0 {
		p.log.Info("pool spread", "renders", spreadSummary(p.members))
	}
	for _, m := range p.members {
		m.close()
	}
	p.members = nil
	return nil
}

func (p *Provider) memberList() []*member {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.members
}
