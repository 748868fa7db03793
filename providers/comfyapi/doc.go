// Package comfyapi is the ComfyUI REST + WebSocket client shared by the local
// and cloud providers.
//
// Its one job is the wire: routing (local paths or Comfy Cloud's /api
// prefix and renamed endpoints), a redirect-safe HTTP client that never
// carries credentials to another origin, prompt submission, the shared
// event WebSocket with history reconciliation, and streaming, resumable,
// traversal-safe downloads and uploads.
//
// Neighbours: providers/local and providers/cloud call it and translate its
// typed errors (*ConnError, *HTTPError, *PromptError, *PathError,
// *ExecutionError) into diagnostics; comfysim is the server it is tested
// against end to end. It imports nothing else from this repository, so the
// plugin protocol and the engine never leak into the wire code.
//
// Files by concept: client.go (Config, New), routes.go (local/cloud paths),
// http.go (requests, retries), redirect.go (credential stripping),
// errors.go, info.go (stats, catalogue, models), prompt.go (submit,
// interrupt), queue.go, history.go + outputs.go + execerror.go (how a
// prompt ended), events.go (frame parsing), ws.go (the one socket),
// wait.go (following a prompt), cloud.go (job status), download.go +
// transfer.go + safepath.go (outputs to disk), upload.go.
package comfyapi
