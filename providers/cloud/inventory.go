package cloud

import (
	"context"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// Inventory reads Cloud's system stats and, on request, the node catalogue and model
// folders. A folder Cloud answers 404 folder_not_found for (unknown, or empty: Cloud
// does not tell them apart) is FolderMissing; a 200 with an empty list is an empty
// folder. Legacy folder names (unet, clip) are tried under both spellings.
func (p *Provider) Inventory(ctx context.Context, req plugins.InventoryRequest) (plugins.Inventory, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.Inventory{}, diags
	}
	stats, err := c.SystemStats(ctx)
	if err != nil {
		return plugins.Inventory{}, p.fail("Cannot read Comfy Cloud's system stats", err)
	}
	version := stats.System.ComfyUIVersion
	if stats.System.CloudVersion != "" {
		version += " (cloud " + stats.System.CloudVersion + ")"
	}
	inv := plugins.Inventory{ServerVersion: version, RAMTotal: stats.System.RAMTotal, RAMFree: stats.System.RAMFree,
		Models: map[string]plugins.ModelList{}}
	for _, d := range stats.Devices {
		inv.Devices = append(inv.Devices, plugins.Device{Name: d.Name, Type: d.Type, VRAMTotal: d.VRAMTotal, VRAMFree: d.VRAMFree})
	}
	if req.ObjectInfo {
		oi, err := c.ObjectInfo(ctx)
		if err != nil {
			return inv, p.fail("Cannot read Comfy Cloud's node catalogue (/api/object_info)", err)
		}
		inv.ObjectInfoJSON = oi
	}
	for _, folder := range req.ModelFolders {
		p.models.forget(folder) // an inventory is a fresh look
		names, missing, err := p.models.list(ctx, c, folder)
		switch {
		case err != nil:
			return inv, p.fail("Cannot list Comfy Cloud model folder "+folder, err)
		case missing:
			inv.Models[folder] = plugins.ModelList{FolderMissing: true}
		default:
			if names == nil {
				names = []string{}
			}
			inv.Models[folder] = plugins.ModelList{Names: names}
		}
	}
	return inv, nil
}
