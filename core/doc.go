// Package core is the engine of comfyhcl: it evaluates a decoded configuration in
// dependency order, asks providers what their servers have, builds a plan (what to
// create, replace, leave alone or delete), and applies it with bounded parallelism while
// recording every finished item in the state.
//
// Neighbours: lang gives it the configuration and the evaluation scope; plugins gives it
// providers (it never sees protobuf); core/workflow knows ComfyUI graphs; core/state
// persists what was done. cmd/comfyhcl drives it and renders its results. core never
// prints: it returns diagnostics and reports progress through Hooks.
package core
