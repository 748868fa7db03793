// Package comfysim is a ComfyUI server simulator: one job, speaking the
// ComfyUI wire protocol faithfully enough that comfyhcl (and any other
// ComfyUI client) can run workflows against it without a GPU.
//
// Ground truth is the set of captures of a real ComfyUI 0.3.64 in
// ../shared/fixtures/comfyui-0.3.64 and the protocol notes in
// ../shared/docs/comfyui-api.md: REST routes at /X and /api/X, the 400
// validation shapes of POST /prompt, the queue and history shapes (including
// the history-after-execution_success race), /view guards and Range support,
// upload renaming, both COMBO shapes in /object_info, and the WebSocket event
// sequence with ComfyUI's routing rules (execution messages only to the socket
// whose clientId is the prompt's client_id).
//
// A single worker executes queued prompts in heap order on a small catalogue
// of node classes (object_info entries copied from the capture, embedded in
// catalog/). Values flowing through links are simple Go structs; samplers
// report step progress; SaveImage writes real PNGs whose size comes from the
// latent or image; loaders check their model files in Options.ModelsDir, read
// live on every request, so a file installed there appears immediately.
// Faults (a failing node class, step delay, ...) are settable by the Go API
// (Options.Faults, Server.SetFaults) and by CLI strings (ParseFault).
//
// Neighbours: cmd/ wires `comfyhcl sim` to New/Start/URL/Close;
// providers/comfyapi is the client that talks to it (and to real servers);
// the e2e tests drive both. comfysim imports nothing from the rest of the
// project.
package comfysim
