package bridge

import (
	"encoding/json"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

func TestEvent(t *testing.T) {
	cases := []struct {
		in   comfyapi.Event
		kind plugins.EventKind
		ok   bool
	}{
		{comfyapi.Event{Type: comfyapi.EventExecutionStart}, plugins.EventStarted, true},
		{comfyapi.Event{Type: comfyapi.EventExecutionCached, CachedNodes: []string{"1"}}, plugins.EventCached, true},
		{comfyapi.Event{Type: comfyapi.EventExecuting, Node: "3"}, plugins.EventExecuting, true},
		{comfyapi.Event{Type: comfyapi.EventExecuting}, 0, false}, // the trailing executing{node:null}
		{comfyapi.Event{Type: comfyapi.EventProgress, Value: 3, Max: 20}, plugins.EventProgress, true},
		{comfyapi.Event{Type: comfyapi.EventExecuted}, plugins.EventExecuted, true},
		{comfyapi.Event{Type: comfyapi.EventPreview}, plugins.EventPreview, true},
		{comfyapi.Event{Type: comfyapi.EventExecutionSuccess}, 0, false},
		{comfyapi.Event{Type: comfyapi.EventStatus}, 0, false},
	}
	for _, c := range cases {
		got, ok := Event(c.in)
		if ok != c.ok || (ok && got.Kind != c.kind) {
			t.Errorf("%s: got %v %v, want %v %v", c.in.Type, got.Kind, ok, c.kind, c.ok)
		}
	}
	if ev, _ := Event(comfyapi.Event{Type: comfyapi.EventProgress, Value: 3, Max: 20, Percent: 50, PercentKnown: true}); ev.Value != 3 || ev.Max != 20 || ev.WorkflowFraction != 0.5 {
		t.Errorf("progress fields: %+v", ev)
	}
}

func TestOutcomeEventAndExecutionError(t *testing.T) {
	e := &comfyapi.ExecutionError{NodeID: "3", NodeType: "KSampler", ExceptionType: "RuntimeError",
		CurrentInputs: map[string]json.RawMessage{"seed": json.RawMessage(`[42]`)}}
	ev := OutcomeEvent(&comfyapi.Outcome{PromptID: "p", Status: comfyapi.StatusError, Error: e}, ExecutionError)
	if ev.Kind != plugins.EventFailed || ev.Error == nil || ev.Error.NodeType != "KSampler" || ev.Error.CurrentInputsJSON != `{"seed":[42]}` {
		t.Errorf("failed outcome: %+v %+v", ev, ev.Error)
	}
	if ev := OutcomeEvent(&comfyapi.Outcome{Status: comfyapi.StatusSuccess}, ExecutionError); ev.Kind != plugins.EventSucceeded || ev.WorkflowFraction != 1 || ev.Error != nil {
		t.Errorf("success: %+v", ev)
	}
	if ev := OutcomeEvent(&comfyapi.Outcome{Status: comfyapi.StatusInterrupted}, ExecutionError); ev.Kind != plugins.EventInterrupted {
		t.Errorf("interrupted: %+v", ev)
	}
}
