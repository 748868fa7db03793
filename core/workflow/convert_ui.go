package workflow

import (
	"github.com/hashicorp/hcl/v2"
)

// ConvertUI converts a decoded UI-format workflow to API format using catalogue.
func ConvertUI(ui map[string]any, catalogue *ObjectInfo) (Graph, hcl.Diagnostics) {
	return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "UI-format conversion is not available yet", Detail: "Export the workflow in API format for now."}}
}
