package cloud

import (
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// promptErrorDiagnostics lists each node's validation errors as its own diagnostic.
func promptErrorDiagnostics(e *comfyapi.PromptError) plugins.Diagnostics {
	return bridge.PromptErrorDiagnostics(e, "Comfy Cloud",
		"Comfy Cloud lacks this node class and cannot install custom node packs: use a class Cloud has (see /api/object_info) or render with a local provider.")
}
