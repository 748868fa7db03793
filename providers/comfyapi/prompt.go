package comfyapi

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
)

// SubmitResult is the 200 answer of POST /prompt. NodeErrors can be
// non-empty even then: outputs that failed validation were dropped.
type SubmitResult struct {
	PromptID   string               `json:"prompt_id"`
	Number     float64              `json:"number"`
	NodeErrors map[string]NodeError `json:"node_errors"`
}

// NodeError is one node's validation failures.
type NodeError struct {
	ClassType        string            `json:"class_type"`
	Errors           []ValidationError `json:"errors"`
	DependentOutputs []string          `json:"dependent_outputs"`
}

// ValidationError is ComfyUI's {type, message, details, extra_info}.
type ValidationError struct {
	Type      string         `json:"type"`
	Message   string         `json:"message"`
	Details   string         `json:"details"`
	ExtraInfo map[string]any `json:"extra_info"`
}

// InputName is the input the error is about, when the server says.
func (v ValidationError) InputName() string {
	s, _ := v.ExtraInfo["input_name"].(string)
	return s
}

// PromptError is a rejected submit (400): the top-level reason plus each
// node's errors. Unknown class types come with empty NodeErrors.
type PromptError struct {
	ValidationError
	NodeErrors map[string]NodeError
}

func (e *PromptError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "prompt rejected: %s", e.Message)
	if e.Details != "" && len(e.NodeErrors) == 0 {
		fmt.Fprintf(&b, ": %s", e.Details)
	}
	ids := make([]string, 0, len(e.NodeErrors))
	for id := range e.NodeErrors {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		ne := e.NodeErrors[id]
		for _, ve := range ne.Errors {
			fmt.Fprintf(&b, "\n  node %s (%s): %s", id, ne.ClassType, ve.Message)
			if ve.Details != "" {
				fmt.Fprintf(&b, ": %s", ve.Details)
			}
		}
	}
	return b.String()
}

// Submit queues an API-format graph. extra becomes extra_data; the client
// id (and the partner key, if configured) are added to it. A 400 returns
// *PromptError; other failures *HTTPError or *ConnError.
func (c *Client) Submit(ctx context.Context, graph json.RawMessage, extra map[string]any) (*SubmitResult, error) {
	var nodes map[string]json.RawMessage
	if err := json.Unmarshal(graph, &nodes); err != nil {
		return nil, fmt.Errorf("workflow is not an API-format JSON object: %w", err)
	}
	extraData := map[string]any{}
	for k, v := range extra {
		extraData[k] = v
	}
	extraData["client_id"] = c.clientID
	if c.cfg.PartnerKey != "" {
		extraData["api_key_comfy_org"] = c.cfg.PartnerKey
	}
	body, err := json.Marshal(map[string]any{
		"prompt":     graph,
		"client_id":  c.clientID,
		"extra_data": extraData,
	})
	if err != nil {
		return nil, err
	}
	// Connect before submitting so the first events of a fast job are not
	// missed; a failure here is not fatal, Wait falls back to history.
	c.hub.ensureConnected(ctx)

	resp, err := c.send(ctx, request{method: http.MethodPost, path: "/prompt", body: body, contentType: "application/json"})
	if err != nil {
		var he *HTTPError
		if errors.As(err, &he) && he.Status == http.StatusBadRequest {
			if pe := parsePromptError([]byte(he.Body)); pe != nil {
				return nil, pe
			}
		}
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, fmt.Errorf("POST %s: reading response: %w", c.route("/prompt"), err)
	}
	var res SubmitResult
	if err := json.Unmarshal(raw, &res); err != nil || res.PromptID == "" {
		return nil, fmt.Errorf("POST %s: unexpected response %q", c.route("/prompt"), truncate(string(raw), 200))
	}
	c.rememberNodeCount(res.PromptID, len(nodes))
	c.log.Debug("submitted prompt", "prompt_id", res.PromptID, "nodes", len(nodes))
	return &res, nil
}

// parsePromptError reads the 400 body; old servers send the error as a
// string and node_errors as a list, which is tolerated.
func parsePromptError(body []byte) *PromptError {
	var raw struct {
		Error      json.RawMessage `json:"error"`
		NodeErrors json.RawMessage `json:"node_errors"`
	}
	if json.Unmarshal(body, &raw) != nil || raw.Error == nil {
		return nil
	}
	pe := &PromptError{}
	if json.Unmarshal(raw.Error, &pe.ValidationError) != nil {
		var s string
		if json.Unmarshal(raw.Error, &s) != nil {
			return nil
		}
		pe.Message = s
	}
	_ = json.Unmarshal(raw.NodeErrors, &pe.NodeErrors)
	return pe
}

// Interrupt cancels a prompt: removed from the pending queue if it waits,
// interrupted if it runs (the server only interrupts the named prompt). An
// empty id interrupts whatever runs.
func (c *Client) Interrupt(ctx context.Context, promptID string) error {
	if promptID == "" {
		return c.postJSON(ctx, "/interrupt", map[string]any{})
	}
	if err := c.DeleteQueued(ctx, promptID); err != nil {
		return err
	}
	return c.postJSON(ctx, "/interrupt", map[string]any{"prompt_id": promptID})
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
