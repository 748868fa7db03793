package comfyapi

import (
	"strings"
	"testing"
)

func drain(s *subscription) []Event {
	var out []Event
	for {
		select {
		case ev := <-s.events:
			out = append(out, ev)
		default:
			return out
		}
	}
}

// Cloud broadcasts every job of the user to every socket, and one local
// client may run several prompts: each Wait sees only its own prompt's
// events (plus status broadcasts), and frames without a prompt id go to
// the prompt that is executing.
func TestHubRoutesByPromptID(t *testing.T) {
	c := newTestClient(t, "http://127.0.0.1:1")
	h := c.hub
	a, b := h.subscribe("a"), h.subscribe("b")
	h.dispatch(Event{Type: EventExecutionStart, PromptID: "b"})
	h.dispatch(Event{Type: EventPreview, Preview: &Preview{MediaType: "image/png"}}) // legacy: no id
	h.dispatch(Event{Type: EventExecutionSuccess, PromptID: "b"})
	h.dispatch(Event{Type: EventStatus, QueueRemaining: 1})
	h.dispatch(Event{Type: EventExecutionStart, PromptID: "other-user-job"})
	h.dispatch(Event{Type: EventProgress, Value: 1, Max: 2}) // attributed to other-user-job
	h.dispatch(Event{Type: EventExecutionStart, PromptID: "a"})
	h.dispatch(Event{Type: EventExecutionError, PromptID: "a", Error: &ExecutionError{NodeID: "3"}})

	gotA, gotB := drain(a), drain(b)
	wantA := []string{EventStatus, EventExecutionStart, EventExecutionError}
	wantB := []string{EventExecutionStart, EventPreview, EventExecutionSuccess, EventStatus}
	if types(gotA) != join(wantA) || types(gotB) != join(wantB) {
		t.Fatalf("a got %s, want %s; b got %s, want %s", types(gotA), join(wantA), types(gotB), join(wantB))
	}
	if gotB[1].PromptID != "b" {
		t.Errorf("legacy preview attributed to %q", gotB[1].PromptID)
	}
	// A Wait that subscribes late still sees its prompt's past events.
	late := h.subscribe("b")
	if got := types(drain(late)); got != join([]string{EventPreview, EventExecutionStart, EventExecutionSuccess}) {
		t.Errorf("late subscriber got %s", got)
	}
	h.forget("b")
	if got := drain(h.subscribe("b")); len(got) != 0 {
		t.Errorf("forgotten prompt replayed %d events", len(got))
	}
}

func types(evs []Event) string {
	var s []string
	for _, ev := range evs {
		s = append(s, ev.Type)
	}
	return join(s)
}

func join(s []string) string { return strings.Join(s, ",") }
