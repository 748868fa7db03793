package pool

import (
	"encoding/json"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// translateEvent maps a member's WebSocket messages onto the protocol's events, as any
// provider reports them; ok is false for messages the core has no use for.
func translateEvent(ev comfyapi.Event) (plugins.Event, bool) {
	out := plugins.Event{PromptID: ev.PromptID, NodeID: ev.Node, UnixMillis: time.Now().UnixMilli(), QueueRemaining: ev.QueueRemaining}
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
	default:
		// The terminal event comes once, from the authoritative outcome (history).
		return out, false
	}
	return out, true
}

func outcomeEvent(out *comfyapi.Outcome) plugins.Event {
	ev := plugins.Event{PromptID: out.PromptID, UnixMillis: time.Now().UnixMilli(), Error: execError(out.Error)}
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
