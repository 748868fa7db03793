// Package preflight decides, before anything runs, whether the target servers can carry
// the plan: VRAM and RAM from the server's /system_stats against each render's
// `requires` (or the size of the models it loads), and free disk in the workspace
// against the bytes a plan downloads. Every check says where each number came from.
//
// Neighbours: core gathers the numbers (inventories, requires blocks, model sizes) and
// turns failed checks into diagnostics; core/preflight/host reads the local machine's
// facts (ghw, nvidia-smi, rocm-smi) for the `hardware` command and for local servers.
package preflight
