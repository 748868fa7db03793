package comfyapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
)

// QueueItem is one queued prompt. Local items are arrays
// [number, prompt_id, prompt, extra_data, outputs]; only the first two are
// stable across servers (Cloud swaps the last two), so only they are read.
type QueueItem struct {
	Number   float64
	PromptID string
}

// Queue is GET /queue with pending items sorted by number (the server
// returns heap order).
type Queue struct {
	Running []QueueItem
	Pending []QueueItem
}

// Queue lists running and pending prompts.
func (c *Client) Queue(ctx context.Context) (*Queue, error) {
	var raw struct {
		Running []json.RawMessage `json:"queue_running"`
		Pending []json.RawMessage `json:"queue_pending"`
	}
	if err := c.getJSON(ctx, "/queue", nil, &raw); err != nil {
		return nil, err
	}
	q := &Queue{}
	var err error
	if q.Running, err = parseQueueItems(raw.Running); err != nil {
		return nil, err
	}
	if q.Pending, err = parseQueueItems(raw.Pending); err != nil {
		return nil, err
	}
	sort.SliceStable(q.Pending, func(i, j int) bool { return q.Pending[i].Number < q.Pending[j].Number })
	return q, nil
}

func parseQueueItems(raw []json.RawMessage) ([]QueueItem, error) {
	items := make([]QueueItem, 0, len(raw))
	for _, r := range raw {
		var tuple []json.RawMessage
		if err := json.Unmarshal(r, &tuple); err != nil || len(tuple) < 2 {
			return nil, fmt.Errorf("queue item %s is not [number, prompt_id, ...]", truncate(string(r), 80))
		}
		var it QueueItem
		if json.Unmarshal(tuple[0], &it.Number) != nil || json.Unmarshal(tuple[1], &it.PromptID) != nil {
			return nil, fmt.Errorf("queue item %s has no number/prompt_id", truncate(string(r), 80))
		}
		items = append(items, it)
	}
	return items, nil
}

// DeleteQueued removes pending prompts (running ones are unaffected).
func (c *Client) DeleteQueued(ctx context.Context, promptIDs ...string) error {
	return c.postJSON(ctx, "/queue", map[string]any{"delete": promptIDs})
}

// ClearQueue removes every pending prompt.
func (c *Client) ClearQueue(ctx context.Context) error {
	return c.postJSON(ctx, "/queue", map[string]any{"clear": true})
}

// Free asks the server to unload models and/or free memory between prompts.
func (c *Client) Free(ctx context.Context, unloadModels, freeMemory bool) error {
	return c.postJSON(ctx, "/free", map[string]any{"unload_models": unloadModels, "free_memory": freeMemory})
}

// Logs is the server's recent log text from /internal/logs. The route is
// internal to ComfyUI and absent on Cloud, so callers treat errors as "no
// logs available" rather than a failure.
func (c *Client) Logs(ctx context.Context) (string, error) {
	resp, err := c.send(ctx, request{method: http.MethodGet, path: "/internal/logs"})
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return "", err
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	return string(raw), nil
}
