package local

import (
	"context"
	"errors"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// Inventory reads system stats, and on request the node catalogue and model folders.
func (p *Provider) Inventory(ctx context.Context, req plugins.InventoryRequest) (plugins.Inventory, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.Inventory{}, diags
	}
	stats, err := c.SystemStats(ctx)
	if err != nil {
		return plugins.Inventory{}, serverError(c, "Cannot read the server's system stats", err)
	}
	inv := plugins.Inventory{
		ServerVersion: stats.System.ComfyUIVersion,
		RAMTotal:      stats.System.RAMTotal,
		RAMFree:       stats.System.RAMFree,
		Models:        map[string]plugins.ModelList{},
	}
	for _, d := range stats.Devices {
		inv.Devices = append(inv.Devices, plugins.Device{Name: d.Name, Type: d.Type, VRAMTotal: d.VRAMTotal, VRAMFree: d.VRAMFree})
	}
	if req.ObjectInfo {
		oi, err := c.ObjectInfo(ctx)
		if err != nil {
			return inv, serverError(c, "Cannot read the server's node catalogue (/object_info)", err)
		}
		inv.ObjectInfoJSON = oi
	}
	for _, folder := range req.ModelFolders {
		names, err := c.Models(ctx, folder)
		switch {
		case errors.Is(err, comfyapi.ErrFolderNotFound):
			inv.Models[folder] = plugins.ModelList{FolderMissing: true}
		case err != nil:
			return inv, serverError(c, "Cannot list model folder "+folder, err)
		default:
			inv.Models[folder] = plugins.ModelList{Names: names}
		}
	}
	return inv, nil
}

// serverError turns a comfyapi error into a diagnostic whose detail says what to do.
func serverError(c *comfyapi.Client, summary string, err error) plugins.Diagnostics {
	var conn *comfyapi.ConnError
	var httpErr *comfyapi.HTTPError
	detail := err.Error()
	switch {
	case errors.As(err, &conn):
		detail += "\nIs ComfyUI running there? Start it (for example with `comfyhcl setup` or `comfy launch`), or set `url` in the provider \"local\" block."
	case errors.As(err, &httpErr):
		if fix := httpErr.Fix(); fix != "" {
			detail += "\n" + fix
		}
	}
	return plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: summary, Detail: detail}}
}
