// Package workflow is everything comfyhcl knows about ComfyUI graphs: it loads API- and
// UI-format workflow JSON (converting UI to API with a server's /object_info), extracts
// the friendly parameter schema (prompt, negative_prompt, seed, ckpt_name ...), injects
// parameter values with plan-time checks, lists a graph's dependencies (node classes,
// model files, embeddings, uploads), expands renders into instances (count, seed_mode,
// sweep), validates a final graph against /object_info, and writes a graph as HCL.
//
// Neighbours: lang decodes the HCL that names a workflow and its params (this package
// never imports lang, plugins or providers); core plans and applies renders with the
// graphs built here; providers submit CanonicalJSON to a server; cmd's `workflow
// schema|convert|import` commands print what this package computes.
//
// Values inside a Graph are JSON-like: string, bool, nil, json.Number (canonical:
// whole numbers keep every digit), []any, map[string]any, or Link for a wire from
// another node's output.
//
// Files by concept: graph.go, canonical.go (model, canonical JSON, hash); load.go,
// jsonpos.go (format detection, JSON errors); objectinfo.go, ordered.go (catalogue);
// rules.go, virtual.go, packs.go (the data tables); trace.go, schema.go,
// schema_format.go (friendly schema); inject.go, values.go, suggest.go (params);
// deps.go, embedded.go, coreclasses.go (dependencies); expand.go, keys.go (instances);
// validate.go (plan-time checks); ui_model.go, convert_*.go (UI to API); hclimport.go
// (HCL output and cty input).
package workflow
