// Package local is the built-in provider for a ComfyUI server the user runs: a
// workstation, a box on the LAN, or a server comfyhcl launched with `setup`. It speaks
// to the server through providers/comfyapi and implements plugins.Provider; comfyhcl runs
// it as a subprocess (`comfyhcl internal-provider local`), so the gRPC path is the one
// every user takes.
//
// Neighbours: plugins (the contract it implements and Serve), providers/comfyapi (the
// wire). It knows nothing of HCL or of the core.
package local
