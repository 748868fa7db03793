// Package workflow is everything comfyhcl knows about ComfyUI graphs: it loads API- and
// UI-format workflow JSON (converting UI to API with a server's /object_info), extracts
// the friendly parameter schema (prompt, negative_prompt, seed, ckpt_name ...), injects
// parameter values with plan-time checks, lists a graph's dependencies (node classes,
// model files, embeddings, uploads), expands renders into instances (count, seed_mode,
// sweep) and validates a final graph against /object_info.
//
// Neighbours: lang decodes the HCL that names a workflow and its params (this package
// never imports lang, plugins or providers); core plans and applies renders using the
// graphs built here; providers submit CanonicalJSON to a server.
//
// Values inside a Graph are JSON-like: string, bool, nil, json.Number, []any,
// map[string]any, or Link for a wire from another node's output.
package workflow
