package bridge

import (
	"encoding/json"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// Event maps a WebSocket message onto the protocol's events; ok is false for messages
// the core has no use for. Terminal messages are left out: a provider reports them once,
// from the authoritative outcome (history), with OutcomeEvent.
func Event(ev comfyapi.Event) (plugins.Event, bool) {
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
		return out, false
	}
	return out, true
}

// OutcomeEvent is the terminal event a Watch ends with. mapError turns the server's
// error into the protocol's (ExecutionError, or a provider's variant that adds hints).
func OutcomeEvent(out *comfyapi.Outcome, mapError func(*comfyapi.ExecutionError) *plugins.ExecutionError) plugins.Event {
	ev := plugins.Event{PromptID: out.PromptID, UnixMillis: time.Now().UnixMilli(), Error: mapError(out.Error)}
	switch out.Status {
	case comfyapi.StatusSuccess:
		ev.Kind, ev.WorkflowFraction = plugins.EventSucceeded, 1
	case comfyapi.StatusInterrupted:
		ev.Kind = plugins.EventInterrupted
	default:
		ev.Kind = plugins.EventFailed
	}
	return ev
}

// ExecutionError converts a node failure, keeping the failing node's inputs as JSON.
func ExecutionError(e *comfyapi.ExecutionError) *plugins.ExecutionError {
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
