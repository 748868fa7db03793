package cloud

import (
	"fmt"
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// promptErrorDiagnostics lists each node's validation errors as its own diagnostic.
func promptErrorDiagnostics(e *comfyapi.PromptError) plugins.Diagnostics {
	if len(e.NodeErrors) == 0 {
		detail := e.Message
		if e.Details != "" {
			detail += ": " + e.Details
		}
		if strings.Contains(e.Message, "does not exist") {
			detail += "\nComfy Cloud lacks this node class and cannot install custom node packs: use a class Cloud has (see /api/object_info) or render with a local provider."
		}
		return plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: "Comfy Cloud rejected the workflow", Detail: detail}}
	}
	ids := make([]string, 0, len(e.NodeErrors))
	for id := range e.NodeErrors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out plugins.Diagnostics
	for _, id := range ids {
		ne := e.NodeErrors[id]
		for _, ve := range ne.Errors {
			d := plugins.Diagnostic{Severity: plugins.SeverityError,
				Summary: fmt.Sprintf("Node %s (%s): %s", id, ne.ClassType, ve.Message), Detail: ve.Details}
			if in := ve.InputName(); in != "" {
				d.AttributePath = []string{"params", id + "." + in}
			}
			out = append(out, d)
		}
	}
	return out
}
