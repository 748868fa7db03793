package pool

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// memberInventory is one member's answer to Inventory.
type memberInventory struct {
	m     *member
	stats *comfyapi.SystemStats
	cat   *catalog
	model map[string]plugins.ModelList
	err   error
}

// Inventory is what every answering member has: the intersection of their node
// catalogues and model folders, the smallest machine (a render may land anywhere), and
// the sum of their queues. Each member that lacks something another has gets a warning
// naming what; a member that does not answer gets a warning and no renders.
func (p *Provider) Inventory(ctx context.Context, req plugins.InventoryRequest) (plugins.Inventory, plugins.Diagnostics) {
	members := p.memberList()
	if len(members) == 0 {
		return plugins.Inventory{}, plugins.Errorf("Provider not configured", "the core called the pool provider before Configure; this is a bug in comfyhcl")
	}
	answers := make([]memberInventory, len(members))
	var wg sync.WaitGroup
	for i, m := range members {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = readMember(ctx, m, req)
		}()
	}
	wg.Wait()
	var diags plugins.Diagnostics
	var live []memberInventory
	for _, a := range answers {
		if a.err != nil {
			a.m.markDown()
			diags = append(diags, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Pool member not answering",
				Detail: fmt.Sprintf("%s: %v\nIt gets no renders until it answers again; start it, or remove it from members.", a.m.name(), a.err)})
			continue
		}
		live = append(live, a)
	}
	if len(live) == 0 {
		return plugins.Inventory{}, plugins.Errorf("No pool member is answering",
			"None of the %d members answered (%s). Start the servers, or fix their urls in the provider \"pool\" block.", len(members), firstErr(answers))
	}
	inv := combineStats(live)
	inv.Models = intersectModels(live, req.ModelFolders)
	if req.ObjectInfo {
		cats := make([]*catalog, len(live))
		for i, a := range live {
			cats[i] = a.cat
		}
		raw, err := intersectCatalogs(cats)
		if err != nil {
			return inv, plugins.FromError("Cannot combine the members' node catalogues", err)
		}
		inv.ObjectInfoJSON = raw
		if len(cats) > 1 {
			for i, a := range live {
				if lacks := missingFrom(cats[i], cats, 8); lacks != "" {
					diags = append(diags, plugins.Diagnostic{Severity: plugins.SeverityWarning, Summary: "Pool member lacks what others have",
						Detail: fmt.Sprintf("%s lacks %s.\nThe pool offers only what every member has; renders needing these are refused. Install them on %s, or remove it from members.", a.m.name(), lacks, a.m.name())})
				}
			}
		}
	}
	return inv, diags
}

func readMember(ctx context.Context, m *member, req plugins.InventoryRequest) memberInventory {
	a := memberInventory{m: m, model: map[string]plugins.ModelList{}}
	a.stats, a.err = m.client.SystemStats(ctx)
	if a.err != nil {
		return a
	}
	m.markUp()
	if req.ObjectInfo {
		if a.cat, a.err = m.loadCatalog(ctx); a.err != nil {
			return a
		}
	}
	for _, folder := range req.ModelFolders {
		names, err := m.client.Models(ctx, folder)
		switch {
		case errors.Is(err, comfyapi.ErrFolderNotFound):
			a.model[folder] = plugins.ModelList{FolderMissing: true}
		case err != nil:
			a.err = fmt.Errorf("listing model folder %s: %w", folder, err)
			return a
		default:
			a.model[folder] = plugins.ModelList{Names: names}
		}
	}
	return a
}

func combineStats(live []memberInventory) plugins.Inventory {
	var inv plugins.Inventory
	versions := map[string]bool{}
	smallest := int64(-1)
	for i, a := range live {
		versions[a.stats.System.ComfyUIVersion] = true
		if i == 0 || a.stats.System.RAMTotal < inv.RAMTotal {
			inv.RAMTotal, inv.RAMFree = a.stats.System.RAMTotal, a.stats.System.RAMFree
		}
		var vram int64
		var devs []plugins.Device
		for _, d := range a.stats.Devices {
			vram = max(vram, d.VRAMTotal)
			devs = append(devs, plugins.Device{Name: d.Name, Type: d.Type, VRAMTotal: d.VRAMTotal, VRAMFree: d.VRAMFree})
		}
		if smallest < 0 || vram < smallest {
			smallest, inv.Devices = vram, devs
		}
		a.m.mu.Lock()
		inv.QueueRemaining += a.m.serverQueue
		a.m.mu.Unlock()
	}
	inv.ServerVersion = strings.Join(sortedKeys(versions), ", ")
	return inv
}

func intersectModels(live []memberInventory, folders []string) map[string]plugins.ModelList {
	out := map[string]plugins.ModelList{}
	for _, f := range folders {
		var common []string
		missing := false
		for i, a := range live {
			l := a.model[f]
			missing = missing || l.FolderMissing
			if i == 0 {
				common = l.Names
				continue
			}
			var keep []string
			for _, n := range common {
				if contains(l.Names, n) {
					keep = append(keep, n)
				}
			}
			common = keep
		}
		out[f] = plugins.ModelList{Names: common, FolderMissing: missing && len(common) == 0}
	}
	return out
}

func firstErr(answers []memberInventory) string {
	for _, a := range answers {
		if a.err != nil {
			return a.m.name() + ": " + a.err.Error()
		}
	}
	return ""
}
