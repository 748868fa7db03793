package cloud

import (
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// outcomeEvent is the terminal event Watch always ends with; Cloud's errors get the
// fixes withHint adds. Cloud broadcasts every job of the account to every socket, so the
// comfyapi client has already filtered events by prompt_id before bridge.Event sees them.
func outcomeEvent(out *comfyapi.Outcome) plugins.Event {
	return bridge.OutcomeEvent(out, withHint)
}
