// Package lang is the comfyhcl language: it turns a directory of *.comfy.hcl files into a
// typed Config and evaluates its expressions. It decodes and evaluates; it never plans,
// applies or talks to a server.
//
// Neighbours: core imports lang, evaluates blocks in dependency order (DependencyGraph,
// Order) with a Scope and plans; plugins is the provider contract, and lang imports
// neither core nor plugins (a provider's config schema reaches lang as
// []AttributeSchema); cmd/comfyhcl renders lang's hcl.Diagnostics and runs validate and
// fmt on top of Validate and Format.
//
// Where things are:
//
//	load.go, syntax.go          LoadDir/LoadSources: files, top-level dispatch, every syntax error
//	settings.go provider.go     comfyhcl { required_version, required_providers }, provider blocks and refs
//	variable*.go                variable blocks; ResolveVariables: sources, precedence, validation
//	locals.go output*.go        locals; outputs and the sensitive-output rule (EvalOutput)
//	model.go node.go render.go  the three resource blocks and their literal checks
//	scope.go functions.go funcs_*.go  Scope/Eval and the function table
//	references.go graph*.go     References, the dependency graph, cycles, Order
//	validate*.go warnings.go    Validate: everything checkable without a server
//	marks.go redact.go          the Sensitive mark, FormatValue, Redact, SensitivePaths
//	format.go                   Format (fmt)
//
// Every function that reads user input returns hcl.Diagnostics with source ranges, never
// a bare error, together with a partial result; diagnostics never quote a sensitive value.
package lang
