package comfyapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
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

// ExecutionError is a node's failure at run time.
type ExecutionError struct {
	PromptID         string                     `json:"prompt_id"`
	NodeID           string                     `json:"node_id"`
	NodeType         string                     `json:"node_type"`
	ExceptionType    string                     `json:"exception_type"`
	ExceptionMessage string                     `json:"exception_message"`
	Traceback        []string                   `json:"traceback"`
	CurrentInputs    map[string]json.RawMessage `json:"current_inputs"`
	Executed         []string                   `json:"executed"`
}

func (e *ExecutionError) Error() string {
	if e.NodeID == "" {
		return fmt.Sprintf("execution failed: %s: %s", e.ExceptionType, e.ExceptionMessage)
	}
	return fmt.Sprintf("node %s (%s) failed: %s: %s", e.NodeID, e.NodeType, e.ExceptionType, trimNL(e.ExceptionMessage))
}

func trimNL(s string) string {
	for len(s) > 0 && (s[len(s)-1] == '\n' || s[len(s)-1] == '\r') {
		s = s[:len(s)-1]
	}
	return s
}

// FileRef is one file a node produced, as the server names it.
type FileRef struct {
	NodeID    string `json:"node_id"`
	Key       string `json:"key"` // images, gifs, video, videos, audio, ...
	Filename  string `json:"filename"`
	Subfolder string `json:"subfolder"`
	Type      string `json:"type"` // output, temp or input
}

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

// fileRefs walks every key of every node whose value is a list of objects
// carrying a filename: images, gifs, video (Cloud), videos, audio, and
// whatever custom nodes invent. Order is deterministic.
func fileRefs(outputs map[string]map[string]json.RawMessage) []FileRef {
	var refs []FileRef
	for _, node := range sortedKeys(outputs) {
		refs = append(refs, nodeFileRefs(node, outputs[node])...)
	}
	return refs
}

func nodeFileRefs(node string, keys map[string]json.RawMessage) []FileRef {
	var refs []FileRef
	for _, key := range sortedKeys(keys) {
		var items []json.RawMessage
		if json.Unmarshal(keys[key], &items) != nil {
			continue
		}
		for _, it := range items {
			var f FileRef
			if json.Unmarshal(it, &f) != nil || f.Filename == "" {
				continue
			}
			f.NodeID, f.Key = node, key
			if f.Type == "" {
				f.Type = "output"
			}
			refs = append(refs, f)
		}
	}
	return refs
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
