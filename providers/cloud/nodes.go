package cloud

import (
	"context"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// PlanNode refuses: Comfy Cloud runs a fixed set of custom node packs and offers no
// way to install others. Classes a workflow needs are checked against /api/object_info
// at plan time, so a missing one is a plan error there too.
func (p *Provider) PlanNode(_ context.Context, n plugins.NodeSpec) (plugins.NodePlan, plugins.Diagnostics) {
	return plugins.NodePlan{Status: plugins.NodeUnknown}, nodeRefusal(n)
}

// ApplyNode refuses for the same reason (a plan file made elsewhere could ask).
func (p *Provider) ApplyNode(_ context.Context, n plugins.NodeSpec, _ func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	return plugins.InstallProgress{}, nodeRefusal(n)
}

func nodeRefusal(n plugins.NodeSpec) plugins.Diagnostics {
	pack := n.Registry
	if pack == "" {
		pack = n.Git
	}
	return plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: "Comfy Cloud cannot install node packs",
		Detail: "Cloud runs a fixed set of custom node packs and has no API to install others, so " + pack +
			" cannot be installed there. Remove this node block (or give it a provider that can install packs, such as local with a workspace); workflows rendered on Cloud may use only the node classes Cloud lists in /api/object_info, which plan checks."}}
}
