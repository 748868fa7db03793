package comfyapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// ErrFolderNotFound matches (with errors.Is) the 404 a server gives for a
// model folder that is unknown or, on Cloud, empty. It is not a missing
// endpoint, and not the same as a 200 with an empty list.
var ErrFolderNotFound = errors.New("model folder not found")

// ConnError is a failure to talk to the server at all. It names the URL so
// the user can tell a typo from a server that is down.
type ConnError struct {
	URL string
	Err error
}

func (e *ConnError) Error() string {
	return fmt.Sprintf("cannot reach ComfyUI at %s: %v", e.URL, e.Err)
}

func (e *ConnError) Unwrap() error { return e.Err }

// HTTPError is a non-success status from the server.
type HTTPError struct {
	Status int
	Method string
	Route  string // the path as requested, after routing (no query)
	Body   string // at most a few KiB of the response body
	// Code and Message come from Cloud's {"code", "message"} error bodies.
	Code    string
	Message string
}

func newHTTPError(method, route string, status int, body []byte) *HTTPError {
	e := &HTTPError{Status: status, Method: method, Route: route, Body: string(body)}
	var parsed struct {
		Code    string `json:"code"`
		Message string `json:"message"`
		Error   any    `json:"error"`
	}
	if json.Unmarshal(body, &parsed) == nil {
		e.Code, e.Message = parsed.Code, parsed.Message
		if s, ok := parsed.Error.(string); ok && e.Message == "" {
			e.Message = s
		}
	}
	return e
}

func (e *HTTPError) Error() string {
	s := fmt.Sprintf("%s %s: HTTP %d: %s", e.Method, e.Route, e.Status, e.Summary())
	if e.Message != "" {
		s += " (" + e.Message + ")"
	}
	return s
}

// Is lets callers test errors.Is(err, ErrFolderNotFound).
func (e *HTTPError) Is(target error) bool {
	return target == ErrFolderNotFound && e.IsFolderNotFound()
}

// IsFolderNotFound reports a 404 from a model-list route or with Cloud's
// folder_not_found code.
func (e *HTTPError) IsFolderNotFound() bool {
	if e.Status != 404 {
		return false
	}
	return e.Code == "folder_not_found" || strings.Contains(e.Route, "/models/")
}

// Retryable reports statuses worth another try for idempotent requests.
// 429 is not among them: on Cloud it usually means an inactive
// subscription, which retrying cannot fix.
func (e *HTTPError) Retryable() bool { return e.Status >= 500 }

// Summary says what went wrong in words a user can act on.
func (e *HTTPError) Summary() string {
	switch {
	case e.Status == 401:
		return "the server rejected the API key (missing or invalid)"
	case e.Status == 402:
		return "insufficient credits on the Comfy account"
	case e.Status == 403:
		return "access forbidden (the plan may not include API access, or the job belongs to another user)"
	case e.Status == 429:
		return "too many requests, or the subscription is inactive"
	case e.IsFolderNotFound():
		return "the model folder is unknown or empty on this server"
	case e.Status == 404:
		return "not found"
	case e.Status == 413:
		return "request body too large for the server"
	case e.Status >= 500:
		return "the server failed internally"
	}
	return "unexpected response"
}

// Fix suggests the concrete next step.
func (e *HTTPError) Fix() string {
	switch {
	case e.Status == 401:
		return "check the provider's api_key (or COMFY_CLOUD_API_KEY); create a key at https://platform.comfy.org"
	case e.Status == 402:
		return "add credits to the Comfy account, then apply again"
	case e.Status == 403:
		return "use an account whose plan includes API access, or check the token/headers of a proxy in front of ComfyUI"
	case e.Status == 429:
		return "wait and retry with lower concurrency; if it persists, check that the subscription is active"
	case e.IsFolderNotFound():
		return "install a model into that folder, or check the folder name (unet is diffusion_models, clip is text_encoders)"
	case e.Status == 404:
		return "check the server URL and the ComfyUI version"
	case e.Status >= 500:
		return "look at the server log (comfyhcl logs) and retry"
	}
	return "see the response body"
}
