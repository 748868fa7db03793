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
// typed errors into diagnostics; comfysim is the server it is tested
// against end to end. It imports nothing else from this repository, so the
// plugin protocol and the engine never leak into the wire code.
package comfyapi
