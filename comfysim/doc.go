// Package comfysim is a ComfyUI server simulator: one job, speaking the
// ComfyUI wire protocol faithfully enough that comfyhcl (and any other
// ComfyUI client) can run workflows against it without a GPU.
//
// Ground truth is the set of captures of a real ComfyUI 0.3.64 in
// ../shared/fixtures/comfyui-0.3.64 and the protocol notes in
// ../shared/docs/comfyui-api.md. The local flavour serves REST routes at /X
// and /api/X with the 400 validation shapes of POST /prompt, the queue and
// history shapes (including the history-after-execution_success race),
// /view guards and Range support, upload renaming, both COMBO shapes in
// /object_info, /internal/logs, and the WebSocket event sequence with
// ComfyUI's routing rules (execution messages only to the socket whose
// clientId is the prompt's client_id). The cloud flavour (Options.Flavor
// "cloud") serves Comfy Cloud's differences: X-API-Key, /api only,
// history_v2, experiment/models objects, job status endpoints, /api/view as
// a 302 to a second listener that refuses credentials, 401/402/429
// switches, tier concurrency, a clientId-agnostic WebSocket, asset imports.
//
// Workers execute queued prompts in heap order on a catalogue of node
// classes (object_info entries copied from the capture, embedded in
// catalog/), plus classes of packs installed under custom_nodes/. Values
// flowing through links are simple Go structs; samplers report step
// progress; SaveImage writes real PNGs whose size comes from the latent or
// image; loaders check their model files in Options.ModelsDir, read live on
// every request, so a file installed there appears immediately.
//
// Beside ComfyUI it serves the estate a client installs from: a model file
// host (/files/<size>/<name>, deterministic bytes with known sha256, Range),
// a Comfy Registry (/registry) with a git-free pack source, and optionally
// ComfyUI-Manager's queue endpoints (Options.Manager).
//
// Faults (failing node class, OOM, step delay, latency, dropped/delayed
// WebSocket messages, socket cuts, download 5xx/resets/slow bodies, cloud
// status switches) are settable by the Go API (Options.Faults,
// Server.SetFaults), by CLI strings (ParseFault) and, for a simulator in
// another process, over /comfysim/faults; /comfysim/stats counts submits
// and requests. Options.PreviewMethod and ProgressText make samplers emit
// binary preview (type 1/4) and text (type 3) frames.
//
// Neighbours: cmd/ wires `comfyhcl sim` to New/Start/URL/Close;
// providers/comfyapi is the client that talks to it (and to real servers);
// the e2e tests in cmd/ and core/ drive both. comfysim imports nothing from
// the rest of the project.
package comfysim
