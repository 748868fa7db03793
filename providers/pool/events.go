package pool

import (
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

func outcomeEvent(out *comfyapi.Outcome) plugins.Event {
	return bridge.OutcomeEvent(out, bridge.ExecutionError)
}
