package cloud

import (
	"encoding/json"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// translateEvent maps Cloud's WebSocket catalogue (the local one plus `notification`)
// onto the provider protocol's events; ok is false for messages the core has no use for.
// Cloud broadcasts every job of the account to every socket, so the comfyapi client has
// already filtered by prompt_id.
func translateEvent(ev comfyapi.Event) (plugins.Event, bool) {
	out := plugins.Event{PromptID: ev.PromptID, NodeID: ev.Node, UnixMillis: time.Now().UnixMilli(),
		QueueRemaining: ev.QueueRemaining}
	if ev.PercentKnown {
		out.WorkflowFraction = ev.Percent / 100
	}
	switch ev.Type {
	case comfyapi.EventExecutionStart:
		out.Kind = plugins.EventStarted
	case comfyapi.EventExecutionCached:
		out.Kind, out.CachedNodes = plugins.EventCached, ev.CachedNodes
	case comfyapi.EventExecuting:
		if ev.Node == "" {
			return out, false
		}
		out.Kind = plugins.EventExecuting
	case comfyapi.EventProgress:
		out.Kind, out.Value, out.Max = plugins.EventProgress, int64(ev.Value), int64(ev.Max)
	case comfyapi.EventExecuted:
		out.Kind = plugins.EventExecuted
	case comfyapi.EventPreview:
		out.Kind = plugins.EventPreview
	default:
		// Terminal messages are reported once, from the authoritative outcome, by Watch.
		return out, false
	}
	return out, true
}

func execError(e *comfyapi.ExecutionError) *plugins.ExecutionError {
	if e == nil {
		return nil
	}
	inputs := ""
	if len(e.CurrentInputs) > 0 {
		if b, err := json.Marshal(e.CurrentInputs); err == nil {
			inputs = string(b)
		}
	}
	return &plugins.ExecutionError{NodeID: e.NodeID, NodeType: e.NodeType, ExceptionType: e.ExceptionType,
		ExceptionMessage: e.ExceptionMessage, Traceback: e.Traceback, CurrentInputsJSON: inputs}
}

// outcomeEvent is the terminal event Watch always ends with.
func outcomeEvent(out *comfyapi.Outcome) plugins.Event {
	ev := plugins.Event{PromptID: out.PromptID, UnixMillis: time.Now().UnixMilli()}
	switch out.Status {
	case comfyapi.StatusSuccess:
		ev.Kind, ev.WorkflowFraction = plugins.EventSucceeded, 1
	case comfyapi.StatusInterrupted:
		ev.Kind = plugins.EventInterrupted
	default:
		ev.Kind = plugins.EventFailed
	}
	ev.Error = withHint(out.Error)
	return ev
}
