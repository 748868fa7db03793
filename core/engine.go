package core

import (
	"context"
	"sort"
	"sync"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"
)

// Launcher starts the provider of a given type (a subprocess for the CLI, possibly an
// in-process harness for benchmarks).
type Launcher interface {
	Launch(providerType string) (*plugins.Instance, plugins.Diagnostics)
}

// Options configure an Engine.
type Options struct {
	Config    *lang.Config
	StatePath string
	Launcher  Launcher
	// VariableInputs are -var, -var-file and environment values, resolved by lang.
	Variables lang.VariableInputs
	Log       hclog.Logger
	// ClientVersion is sent to providers in Configure.
	ClientVersion string
	// Parallelism bounds concurrent downloads and installs (default 4); renders are
	// bounded by each provider's concurrency instead.
	Parallelism int
	// Targets limit plan and apply to these addresses and what they need (-target).
	Targets []string
	// Replace forces these addresses to be replaced even when up to date (-replace).
	Replace []string
	// NoRefresh trusts the state instead of re-reading output files (-refresh=false).
	NoRefresh bool
	// PreflightWarn turns failed preflight checks into warnings (-preflight=warn).
	PreflightWarn bool
	// RestartServer restarts the server behind a provider whose workspace it knows, when
	// node pack installs need it; it reports false when it cannot (no server launched by
	// comfyhcl there). Nil: never restart, just say what to do.
	RestartServer func(ctx context.Context, workspace string) (bool, error)
	// SeedSource draws random seeds (tests make it deterministic); nil uses crypto/rand.
	SeedSource func() uint64
}

func (e *Engine) parallelism() int {
	if e.opts.Parallelism > 0 {
		return e.opts.Parallelism
	}
	return 4
}

// Engine plans and applies one configuration against its providers. It owns the
// provider processes it starts: call Close on every exit path.
type Engine struct {
	opts Options
	log  hclog.Logger

	mu          sync.Mutex
	providers   map[string]*liveProvider // by provider address
	inventories map[string]*serverInventory
	lock        *plugins.LockFile
	workspaces  map[string]string // provider address -> workspace, for restarts
	// failedProviders remembers providers that could not start, by address.
	failedProviders map[string]hcl.Diagnostics
}

// liveProvider is a launched and configured provider.
type liveProvider struct {
	addr        string
	inst        *plugins.Instance
	concurrency int
	declRange   hcl.Range
}

// New returns an Engine; providers start lazily on first use.
func New(opts Options) *Engine {
	log := opts.Log
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Engine{opts: opts, log: log, providers: map[string]*liveProvider{}, inventories: map[string]*serverInventory{},
		failedProviders: map[string]hcl.Diagnostics{}}
}

// Close stops every provider this engine started.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	for _, p := range e.providers {
		p.inst.Close()
	}
	e.providers = map[string]*liveProvider{}
}

// ProviderPids returns the process ids of the running providers (for tests and the
// `version` command), sorted.
func (e *Engine) ProviderPids() []int {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []int
	for _, p := range e.providers {
		out = append(out, p.inst.Pid)
	}
	sort.Ints(out)
	return out
}

// LoadState reads the state file the engine works on.
func (e *Engine) LoadState() (*state.State, hcl.Diagnostics) {
	s, err := state.Load(e.opts.StatePath)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the state", Detail: err.Error()}}
	}
	return s, nil
}

// provider returns the started and configured provider at addr ("local", "local.gpu2").
func (e *Engine) provider(ctx context.Context, addr string, scope *lang.Scope) (*liveProvider, hcl.Diagnostics) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if p, ok := e.providers[addr]; ok {
		return p, nil
	}
	cfg := e.opts.Config.Providers[addr]
	typ, declRange := providerTypeOf(addr), hcl.Range{}
	var body hcl.Body
	if cfg != nil {
		typ, declRange, body = cfg.Type, cfg.DeclRange, cfg.Config
	}
	if failed, ok := e.failedProviders[addr]; ok {
		return nil, failed // reported once; not started again for every block that needs it
	}
	inst, pdiags := e.opts.Launcher.Launch(typ)
	if pdiags.HasErrors() {
		e.failedProviders[addr] = providerDiags(pdiags, declRange)
		return nil, e.failedProviders[addr]
	}
	md, pdiags := inst.Metadata(ctx)
	if pdiags.HasErrors() {
		inst.Close()
		return nil, providerDiags(pdiags, declRange)
	}
	configJSON, diags := configureJSON(body, md.ConfigSchema, scope)
	if diags.HasErrors() {
		inst.Close()
		return nil, diags
	}
	res, pdiags := inst.Configure(ctx, plugins.ConfigureRequest{ConfigJSON: configJSON, ClientVersion: e.opts.ClientVersion})
	diags = append(diags, providerDiags(pdiags, declRange)...)
	if pdiags.HasErrors() {
		inst.Close()
		return nil, diags
	}
	if res.Concurrency < 1 {
		res.Concurrency = 1
	}
	p := &liveProvider{addr: addr, inst: inst, concurrency: res.Concurrency, declRange: declRange}
	e.providers[addr] = p
	e.log.Debug("provider ready", "provider", addr, "pid", inst.Pid, "version", md.Version)
	return p, diags
}

func providerTypeOf(addr string) string {
	for i := 0; i < len(addr); i++ {
		if addr[i] == '.' {
			return addr[:i]
		}
	}
	return addr
}

// providerDiags places provider diagnostics on the block they concern.
func providerDiags(in plugins.Diagnostics, subject hcl.Range) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range in {
		sev := hcl.DiagError
		if d.Severity == plugins.SeverityWarning {
			sev = hcl.DiagWarning
		}
		hd := &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail}
		if subject.Filename != "" {
			s := subject
			hd.Subject = &s
		}
		out = append(out, hd)
	}
	return out
}

func errDiag(summary, detail string, subject *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}
}

func rangePtr(r hcl.Range) *hcl.Range {
	if r.Filename == "" {
		return nil
	}
	return &r
}
