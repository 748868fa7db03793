package core

import (
	"context"

	"github.com/comfyhcl/comfyhcl/core/workflow"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// serverInventory is what one provider's server has, read once per plan: requests to
// the server must not grow with the number of renders.
type serverInventory struct {
	raw       plugins.Inventory
	catalogue *workflow.ObjectInfo
}

func (e *Engine) inventory(ctx context.Context, addr string, scope *lang.Scope) (*serverInventory, hcl.Diagnostics) {
	e.mu.Lock()
	if inv, ok := e.inventories[addr]; ok {
		e.mu.Unlock()
		return inv, nil
	}
	e.mu.Unlock()
	p, diags := e.provider(ctx, addr, scope)
	if diags.HasErrors() {
		return nil, diags
	}
	raw, pdiags := p.inst.Inventory(ctx, plugins.InventoryRequest{ObjectInfo: true})
	diags = append(diags, providerDiags(pdiags, p.declRange)...)
	if pdiags.HasErrors() {
		return nil, diags
	}
	cat, err := workflow.ParseObjectInfo(raw.ObjectInfoJSON)
	if err != nil {
		return nil, append(diags, errDiag("Cannot read the server's node catalogue", err.Error(), rangePtr(p.declRange)))
	}
	inv := &serverInventory{raw: raw, catalogue: cat}
	e.mu.Lock()
	e.inventories[addr] = inv
	e.mu.Unlock()
	return inv, diags
}
