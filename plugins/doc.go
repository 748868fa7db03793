// Package plugins is the provider contract of comfyhcl and its one public API for
// provider authors: the Provider interface and its Go types, the protobuf service in
// proto/ with the gRPC shims that carry the interface across a process boundary, Serve
// for the provider side and Launch for the host side (hashicorp/go-plugin).
//
// Neighbours: core calls providers only through this package; providers/* implement
// Provider and call Serve. plugins imports neither core nor lang, and protobuf types
// never leave it: callers see only the Go types of types.go.
//
// Large bytes never cross the boundary. A provider writes output files itself into the
// directory the core names and returns their paths, sizes and sha256.
package plugins
