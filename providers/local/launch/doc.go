// Package launch sets up and runs a local ComfyUI for `comfyhcl setup`: it installs
// comfy-cli with the first of pipx, uvx and `pip install --user` that works (retrying pip
// with --break-system-packages on a PEP 668 "externally managed" Python), installs
// ComfyUI into the workspace with `comfy --workspace DIR --skip-prompt install`, launches
// it in the background (its own session, output appended to a persistent log), waits
// until it answers /system_stats, and records what it launched in
// <workspace>/.comfyhcl-launch.json. It is idempotent: a server already answering is left
// alone and reported. Cancelling the context kills whatever it started, so Ctrl-C never
// leaves a half-launched server. Restart and Stop act on a Record for the core ("apply
// restarts a server that comfyhcl launched").
//
// Neighbours: core/preflight/host (which ComfyUI build fits the GPU); cmd/comfyhcl
// (`setup`, `health`) renders its results. It never talks to ComfyUI beyond the
// readiness probe: the local provider (package local) does that.
package launch
