// Package providerpb is the generated protobuf and gRPC code of provider.proto, the
// comfyhcl provider protocol. Only package plugins uses it: its shims convert these
// messages to and from the public Go types, so protobuf never leaves plugins.
// Regenerate with `make generate` (needs protoc); the generated files are committed.
package providerpb
