package comfyapi

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
)

// JobStatus is Cloud's lightweight /api/job/{id}/status answer. Status is
// the raw internal state; the documented enum is known to be wrong.
type JobStatus struct {
	Status       string `json:"status"`
	ErrorMessage string `json:"error_message"`
}

// JobStatus polls a Cloud job.
func (c *Client) JobStatus(ctx context.Context, promptID string) (*JobStatus, error) {
	var js JobStatus
	if err := c.getJSON(ctx, "/job/"+url.PathEscape(promptID)+"/status", nil, &js); err != nil {
		return nil, err
	}
	return &js, nil
}

// classifyJobState maps Cloud's raw states to an outcome status; terminal
// is false while the job is in flight (submitted, queued_*, executing,
// cancel_requested, erroring, ...).
func classifyJobState(raw string) (status string, terminal bool) {
	switch raw {
	case "success", "completed":
		return StatusSuccess, true
	case "error", "non_retryable_error", "failed", "lost":
		return StatusError, true
	case "cancelled":
		return StatusInterrupted, true
	}
	return "", false
}

// pollCloud asks the job status endpoint first (history_v2 can show an
// entry before outputs settle), then history for the outputs.
func (c *Client) pollCloud(ctx context.Context, promptID string) (*Outcome, error) {
	js, err := c.JobStatus(ctx, promptID)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		c.log.Debug("job status failed; falling back to history", "prompt_id", promptID, "error", err)
		return c.pollHistory(ctx, promptID)
	}
	status, terminal := classifyJobState(js.Status)
	if !terminal {
		return nil, nil
	}
	if status == StatusSuccess {
		if out, err := c.pollHistory(ctx, promptID); out != nil || err != nil {
			return out, err
		}
		detail, err := c.jobDetail(ctx, promptID)
		if err != nil || detail.Outputs == nil {
			return nil, nil // outputs not visible yet: keep waiting
		}
		return &Outcome{PromptID: promptID, Status: StatusSuccess, Outputs: fileRefs(detail.Outputs)}, nil
	}
	out := &Outcome{PromptID: promptID, Status: status}
	if detail, err := c.jobDetail(ctx, promptID); err == nil && detail.ExecutionError != nil {
		out.Error = detail.ExecutionError
	} else {
		out.Error = &ExecutionError{PromptID: promptID, ExceptionType: js.Status, ExceptionMessage: js.ErrorMessage}
	}
	return out, nil
}

// jobDetail is /api/jobs/{id} (Cloud; newer local cores too).
type jobDetail struct {
	Status         string                                `json:"status"`
	Outputs        map[string]map[string]json.RawMessage `json:"outputs"`
	ExecutionError *ExecutionError                       `json:"execution_error"`
}

func (c *Client) jobDetail(ctx context.Context, promptID string) (*jobDetail, error) {
	var d jobDetail
	if err := c.getJSON(ctx, "/jobs/"+url.PathEscape(promptID), nil, &d); err != nil {
		return nil, err
	}
	if d.Status == "" && d.Outputs == nil {
		return nil, errors.New("empty job detail")
	}
	return &d, nil
}
