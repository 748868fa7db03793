package comfyapi

import (
	"encoding/json"
	"fmt"
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

// UnmarshalJSON tolerates the shapes servers really send: the blocked
// variant has current_inputs [] instead of an object, and node ids may be
// numbers in older cores.
func (e *ExecutionError) UnmarshalJSON(b []byte) error {
	var raw struct {
		PromptID         string          `json:"prompt_id"`
		NodeID           json.RawMessage `json:"node_id"`
		NodeType         string          `json:"node_type"`
		ExceptionType    string          `json:"exception_type"`
		ExceptionMessage string          `json:"exception_message"`
		Traceback        json.RawMessage `json:"traceback"`
		CurrentInputs    json.RawMessage `json:"current_inputs"`
		Executed         json.RawMessage `json:"executed"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*e = ExecutionError{PromptID: raw.PromptID, NodeType: raw.NodeType,
		ExceptionType: raw.ExceptionType, ExceptionMessage: raw.ExceptionMessage}
	e.NodeID = looseString(raw.NodeID)
	_ = json.Unmarshal(raw.Traceback, &e.Traceback)
	_ = json.Unmarshal(raw.CurrentInputs, &e.CurrentInputs)
	_ = json.Unmarshal(raw.Executed, &e.Executed)
	return nil
}

// looseString reads a JSON string or number as a string.
func looseString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String()
	}
	return ""
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
