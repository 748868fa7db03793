// Package host gathers facts about the machine comfyhcl runs on, so that `comfyhcl
// hardware`, `comfyhcl setup` and the core's preflight can say whether rendering locally
// makes sense: CPU, memory, disks and PCI GPUs from jaypipes/ghw; VRAM and driver from
// nvidia-smi and rocm-smi when present (PowerShell's CIM video controllers on Windows,
// raw sysfs ids when no PCI database is installed); the Apple Silicon variant and Rosetta
// from sysctl; WSL2; free disk at the workspace; optionally whether PyTorch sees the GPU.
// It picks the best GPU of several and gives a verdict (local ok / marginal / use cloud)
// with the reasons (Judge, against default or given Requirements).
//
// Every outside look goes through the System and Hardware interfaces so tests replay
// recorded tool outputs (see hosttest). A missing tool is a fact, never an error: Collect
// always returns Facts, with what it could not learn in Notes.
//
// Neighbours: core/preflight (the core's checks) reads Facts, Judge and Bytes; cmd/comfyhcl
// renders them; providers/local/launch asks which ComfyUI build (nvidia, amd, m-series,
// cpu) fits. It talks to no server: a server's own /system_stats is the provider's job.
package host
