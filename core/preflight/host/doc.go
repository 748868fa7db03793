// Package host gathers facts about the machine comfyhcl runs on, so that `comfyhcl
// hardware`, `comfyhcl setup` and the core's preflight can say whether rendering locally
// makes sense: CPU, memory, disks and PCI GPUs from jaypipes/ghw; VRAM and driver from
// nvidia-smi and rocm-smi when present; the Apple Silicon variant and Rosetta from sysctl;
// WSL2; free disk at the workspace. It picks the best GPU of several and gives a verdict
// (local ok / marginal / use cloud) with the reason.
//
// Every outside look goes through the System and Hardware interfaces so tests replay
// recorded tool outputs (see hosttest). A missing tool is a fact, never an error: Collect
// always returns Facts, with what it could not learn in Notes.
//
// Neighbours: core/preflight's caller (the core) reads Facts and Judge; cmd/comfyhcl
// renders them; providers/local/launch asks which ComfyUI build (nvidia, amd, m-series,
// cpu) fits. It talks to no server: a server's own /system_stats is the provider's job.
package host
