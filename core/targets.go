package core

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// addrMatches reports whether addr is target or one of its instances: -target=render.hero
// covers render.hero["cfg=5,#0"].
func addrMatches(addr, target string) bool {
	return addr == target || strings.HasPrefix(addr, target+"[")
}

func matchesAny(addr string, targets []string) bool {
	for _, t := range targets {
		if addrMatches(addr, t) {
			return true
		}
	}
	return false
}

// applyReplace forces -replace addresses that would otherwise be left alone.
func applyReplace(changes []*Change, replace []string) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, want := range replace {
		found := false
		for _, ch := range changes {
			if !addrMatches(ch.Address, want) {
				continue
			}
			found = true
			if ch.Action == ActionNoOp && (ch.Instance != nil || ch.Model != nil) {
				ch.Action, ch.Reason = ActionReplace, "replacement requested with -replace"
			}
		}
		if !found {
			diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Unknown -replace address",
				Detail: fmt.Sprintf("%s matches nothing in the plan; use an address that `comfyhcl state list` or the plan shows, e.g. render.hero or model.sdxl.", want)})
		}
	}
	return diags
}

// applyTargets keeps the targeted changes and what they need (the models and node packs
// a targeted render depends on); everything else is left for a later apply.
func applyTargets(changes []*Change, targets []string) ([]*Change, hcl.Diagnostics) {
	if len(targets) == 0 {
		return changes, nil
	}
	keep := map[string]bool{}
	for _, ch := range changes {
		if matchesAny(ch.Address, targets) {
			keep[ch.Address] = true
			for _, dep := range ch.DependsOn {
				keep[dep] = true
			}
		}
	}
	if len(keep) == 0 {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "No target matched",
			Detail: fmt.Sprintf("-target %s matches nothing in the configuration or the state.", strings.Join(targets, ", "))}}
	}
	var out []*Change
	for _, ch := range changes {
		if keep[ch.Address] {
			out = append(out, ch)
		}
	}
	return out, hcl.Diagnostics{{Severity: hcl.DiagWarning, Summary: "Resource targeting is in effect",
		Detail: "This plan covers only the targeted items and what they need; the rest of the configuration may differ from what it says. Run plan without -target to see everything."}}
}
