package comfyapi

import (
	"encoding/json"
	"fmt"
)

// Event types of the ComfyUI WebSocket catalogue that this client parses.
const (
	EventStatus               = "status"
	EventExecutionStart       = "execution_start"
	EventExecutionCached      = "execution_cached"
	EventExecuting            = "executing"
	EventProgress             = "progress"
	EventProgressState        = "progress_state"
	EventExecuted             = "executed"
	EventExecutionSuccess     = "execution_success"
	EventExecutionError       = "execution_error"
	EventExecutionInterrupted = "execution_interrupted"
	EventPreview              = "preview"       // binary frames 1 and 4
	EventProgressText         = "progress_text" // binary frame 3
	EventNotification         = "notification"  // Cloud
)

// Event is one parsed WebSocket message.
type Event struct {
	Type     string
	PromptID string
	Node     string // executing/progress/executed; "" in the final executing
	// Value and Max are a node's step progress (progress events).
	Value, Max     float64
	CachedNodes    []string
	QueueRemaining int
	// Nodes is progress_state's per-node view.
	Nodes map[string]NodeProgress
	// Outputs are the file items of an executed event.
	Outputs []FileRef
	Output  json.RawMessage // executed's raw UI output
	Error   *ExecutionError // execution_error (and interrupted: node only)
	Preview *Preview
	Text    string // progress_text or notification
	// Percent is whole-workflow progress 0..100 computed from
	// progress_state and the submitted graph's size; PercentKnown is false
	// when the graph size is unknown.
	Percent      float64
	PercentKnown bool
}

// Terminal reports the events that end a prompt. An execution_error of
// type ExecutionBlocked is not one: a node was blocked and the prompt goes
// on.
func (e Event) Terminal() bool {
	switch e.Type {
	case EventExecutionSuccess, EventExecutionInterrupted:
		return true
	case EventExecutionError:
		return e.Error == nil || e.Error.ExceptionType != "ExecutionBlocked"
	}
	return false
}

// NodeProgress is one node in a progress_state message.
type NodeProgress struct {
	Value float64 `json:"value"`
	Max   float64 `json:"max"`
	State string  `json:"state"` // running, finished, error
}

// Preview is a binary preview frame.
type Preview struct {
	MediaType string // image/jpeg or image/png (or as the metadata says)
	Data      []byte
	Metadata  map[string]any // type 4 only
}

// parseTextFrame decodes a JSON frame; ok is false for types this client
// does not know (custom nodes send arbitrary ones) and for garbage.
func parseTextFrame(b []byte) (ev Event, ok bool) {
	var msg struct {
		Type string          `json:"type"`
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(b, &msg) != nil || msg.Type == "" {
		return Event{}, false
	}
	var d struct {
		PromptID string          `json:"prompt_id"`
		Node     json.RawMessage `json:"node"`
		Value    float64         `json:"value"`
		Max      float64         `json:"max"`
		Nodes    json.RawMessage `json:"nodes"`
		Output   json.RawMessage `json:"output"`
		Status   struct {
			ExecInfo struct {
				QueueRemaining int `json:"queue_remaining"`
			} `json:"exec_info"`
		} `json:"status"`
		NodeID   json.RawMessage `json:"node_id"`
		NodeType string          `json:"node_type"`
	}
	if len(msg.Data) > 0 && json.Unmarshal(msg.Data, &d) != nil {
		return Event{}, false
	}
	ev = Event{Type: msg.Type, PromptID: d.PromptID}
	ev.Node = looseString(d.Node) // null after the last node; a number on old cores
	switch msg.Type {
	case EventStatus:
		ev.QueueRemaining = d.Status.ExecInfo.QueueRemaining
	case EventExecutionStart, EventExecutionSuccess, EventExecuting:
	case EventExecutionCached:
		_ = json.Unmarshal(d.Nodes, &ev.CachedNodes)
	case EventProgress:
		ev.Value, ev.Max = d.Value, d.Max
	case EventProgressState:
		_ = json.Unmarshal(d.Nodes, &ev.Nodes)
	case EventExecuted:
		ev.Output = d.Output
		var keys map[string]json.RawMessage
		if json.Unmarshal(d.Output, &keys) == nil {
			ev.Outputs = nodeFileRefs(ev.Node, keys)
		}
	case EventExecutionError:
		ev.Error = &ExecutionError{}
		if json.Unmarshal(msg.Data, ev.Error) != nil {
			return Event{}, false
		}
		ev.Node = ev.Error.NodeID
	case EventExecutionInterrupted:
		ev.Node = looseString(d.NodeID)
		ev.Error = &ExecutionError{PromptID: d.PromptID, NodeID: ev.Node, NodeType: d.NodeType,
			ExceptionType: "interrupted", ExceptionMessage: "the prompt was interrupted"}
	case EventNotification:
		var n struct {
			Value string `json:"value"`
		}
		_ = json.Unmarshal(msg.Data, &n)
		ev.Text = n.Value
	default:
		return Event{}, false
	}
	return ev, true
}

// Binary frame types (protocol.py BinaryEventTypes), big-endian u32 first.
const (
	binaryPreviewImage             = 1
	binaryText                     = 3
	binaryPreviewImageWithMetadata = 4
)

// parseBinaryFrame decodes preview (1, 4) and progress-text (3) frames.
func parseBinaryFrame(b []byte) (Event, error) {
	if len(b) < 8 {
		return Event{}, fmt.Errorf("binary frame of %d bytes is too short", len(b))
	}
	kind, second, rest := be32(b), be32(b[4:]), b[8:]
	switch kind {
	case binaryPreviewImage:
		mt := "image/jpeg"
		if second == 2 {
			mt = "image/png"
		}
		return Event{Type: EventPreview, Preview: &Preview{MediaType: mt, Data: rest}}, nil
	case binaryText:
		if uint64(second) > uint64(len(rest)) {
			return Event{}, fmt.Errorf("text frame node id length %d exceeds frame", second)
		}
		return Event{Type: EventProgressText, Node: string(rest[:second]), Text: string(rest[second:])}, nil
	case binaryPreviewImageWithMetadata:
		if uint64(second) > uint64(len(rest)) {
			return Event{}, fmt.Errorf("preview metadata length %d exceeds frame", second)
		}
		var meta map[string]any
		if err := json.Unmarshal(rest[:second], &meta); err != nil {
			return Event{}, fmt.Errorf("preview metadata: %w", err)
		}
		ev := Event{Type: EventPreview, Preview: &Preview{Data: rest[second:], Metadata: meta}}
		ev.Preview.MediaType, _ = meta["image_type"].(string)
		ev.PromptID, _ = meta["prompt_id"].(string)
		ev.Node, _ = meta["node_id"].(string)
		return ev, nil
	}
	return Event{}, fmt.Errorf("unknown binary frame type %d", kind)
}

func be32(b []byte) uint32 {
	return uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
}
