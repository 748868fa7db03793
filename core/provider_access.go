package core

import (
	"context"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// Provider starts and configures the provider at addr ("local", "local.gpu2") from the
// configuration, for commands that talk to a server outside plan and apply (queue,
// upload, logs, watch, health). The engine still owns it: Close stops it.
func (e *Engine) Provider(ctx context.Context, addr string) (plugins.Provider, int, hcl.Diagnostics) {
	ev, diags := e.evaluate()
	if diags.HasErrors() {
		return nil, 0, diags
	}
	p, pdiags := e.provider(ctx, addr, ev.scope)
	diags = append(diags, pdiags...)
	if pdiags.HasErrors() {
		return nil, 0, diags
	}
	return p.inst, p.concurrency, diags
}

// DefaultProviderAddr is the provider a command uses when none is named: the only
// provider block if there is one, else "local".
func (e *Engine) DefaultProviderAddr() string {
	if len(e.opts.Config.Providers) == 1 {
		for addr := range e.opts.Config.Providers {
			return addr
		}
	}
	return "local"
}
