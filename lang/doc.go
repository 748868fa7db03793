// Package lang is the comfyhcl language: it turns a directory of *.comfy.hcl files into a
// typed Config (LoadDir), evaluates expressions with a Scope (functions, var./local./
// model./node./render. references, sensitive marks), resolves input variables from their
// sources in precedence order, finds references and builds the dependency graph with cycle
// detection, and formats source (Format).
//
// lang decodes and evaluates; it never plans, applies or talks to a server. Its neighbours:
// core (imports lang, evaluates blocks in dependency order and plans), plugins (the
// provider contract; lang imports neither core nor plugins: a provider's config schema
// reaches lang as []AttributeSchema) and cmd/comfyhcl (renders lang's hcl.Diagnostics).
//
// Every function that reads user input returns hcl.Diagnostics with source ranges, never
// a bare error, and a partial result alongside them.
package lang
