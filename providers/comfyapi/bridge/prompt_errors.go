package bridge

import (
	"fmt"
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// PromptErrorDiagnostics lists a rejected submit's validation errors, one diagnostic per
// node error, with the attribute path pointing at the input when the server names it.
// server names the server in the summary ("The server", "Comfy Cloud"); missingClassFix is
// what to do when the graph uses a class the server does not have.
func PromptErrorDiagnostics(e *comfyapi.PromptError, server, missingClassFix string) plugins.Diagnostics {
	if len(e.NodeErrors) == 0 {
		detail := e.Message
		if e.Details != "" {
			detail += ": " + e.Details
		}
		if strings.Contains(e.Message, "does not exist") {
			detail += "\n" + missingClassFix
		}
		return plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: server + " rejected the workflow", Detail: detail}}
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
