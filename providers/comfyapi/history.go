package comfyapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// HistoryEntry is one finished prompt as /history/{id} reports it.
type HistoryEntry struct {
	PromptID string
	Outputs  map[string]map[string]json.RawMessage // node -> key -> value
	Status   HistoryStatus
}

// HistoryStatus is the entry's status block.
type HistoryStatus struct {
	StatusStr string            `json:"status_str"`
	Completed bool              `json:"completed"`
	Messages  []json.RawMessage `json:"messages"` // [event_name, data] pairs
}

// Outcome is how a prompt ended.
type Outcome struct {
	PromptID string
	Status   string // StatusSuccess, StatusError or StatusInterrupted
	Error    *ExecutionError
	Outputs  []FileRef
}

const (
	StatusSuccess     = "success"
	StatusError       = "error"
	StatusInterrupted = "interrupted"
)

// History reads /history/{id}; nil without error when the server does not
// (yet) know the prompt, which it answers with 200 {}.
func (c *Client) History(ctx context.Context, promptID string) (*HistoryEntry, error) {
	var raw map[string]json.RawMessage
	if err := c.getJSON(ctx, "/history/"+url.PathEscape(promptID), nil, &raw); err != nil {
		return nil, err
	}
	return parseHistory(promptID, raw)
}

func parseHistory(promptID string, raw map[string]json.RawMessage) (*HistoryEntry, error) {
	body, ok := raw[promptID]
	if !ok {
		return nil, nil
	}
	var e struct {
		Outputs map[string]map[string]json.RawMessage `json:"outputs"`
		Status  *HistoryStatus                        `json:"status"`
	}
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("history entry %s: %w", promptID, err)
	}
	entry := &HistoryEntry{PromptID: promptID, Outputs: e.Outputs}
	if e.Status != nil {
		entry.Status = *e.Status
	}
	return entry, nil
}

// Done reports whether the entry records a finished prompt.
func (h *HistoryEntry) Done() bool {
	s := h.Status.StatusStr
	return s == "error" || s == "success" || h.Status.Completed
}

// Outcome interprets the entry. status_str "error" is checked before
// completed: a failed run can carry completed=true, and the Python skill
// once reported those as successes.
func (h *HistoryEntry) Outcome() *Outcome {
	o := &Outcome{PromptID: h.PromptID}
	if h.Status.StatusStr == "error" {
		o.Status = StatusError
		for _, m := range h.Status.Messages {
			name, data := splitMessage(m)
			switch name {
			case "execution_interrupted":
				o.Status = StatusInterrupted
			case "execution_error":
				var ee ExecutionError
				if json.Unmarshal(data, &ee) == nil {
					o.Error = &ee
				}
			}
		}
		if o.Error == nil && o.Status == StatusError {
			o.Error = &ExecutionError{PromptID: h.PromptID, ExceptionMessage: "the server reported status_str=error without details"}
		}
		return o
	}
	o.Status = StatusSuccess
	o.Outputs = fileRefs(h.Outputs)
	return o
}

func splitMessage(m json.RawMessage) (string, json.RawMessage) {
	var pair []json.RawMessage
	if json.Unmarshal(m, &pair) != nil || len(pair) < 2 {
		return "", nil
	}
	var name string
	_ = json.Unmarshal(pair[0], &name)
	return name, pair[1]
}
