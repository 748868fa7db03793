// Package plugins is the provider contract of comfyhcl and its one public API for
// provider authors: the Provider interface and its Go types, Serve for the provider
// side, the in-memory test harness, and, for the host, discovery, describe, Launch and
// the lock file. The protobuf service in proto/ and the gRPC shims that carry the
// interface across the process boundary (hashicorp/go-plugin) stay inside it.
//
// Neighbours: core calls providers only through this package; providers/* implement
// Provider and call Serve; cmd/comfyhcl uses discovery, describe, Launch and LockFile.
// plugins imports neither core nor lang, and protobuf types never leave it.
//
// # Writing a provider
//
// A provider is a Go program that implements Provider and hands it to Serve. The pool
// provider (providers/pool, built by cmd/comfyhcl-provider-pool) is the worked example;
// docs/providers.md in the project walks through it.
//
// Step 1: implement Provider. Embed UnimplementedProvider so the type keeps compiling
// when a later protocol minor adds operations, and override what the backend can do:
//
//	type Provider struct {
//		plugins.UnimplementedProvider
//		client *myapi.Client
//	}
//
// Metadata must work before Configure: comfyhcl calls it for `describe` and to learn
// the configuration schema. Configure receives the provider block, evaluated by
// comfyhcl, as a JSON object whose attributes are those of Metadata.ConfigSchema.
// Report problems as Diagnostics with an AttributePath so they point at the user's HCL.
//
// Step 2: large bytes never cross the boundary. Fetch writes the outputs itself into
// the directory comfyhcl names (FetchRequest.OutputDir) and returns paths, sizes and
// sha256. Watch calls onEvent for each event and returns after the terminal one.
//
// Step 3: serve it from main. Never write to stdout, which carries the handshake; log
// through the hclog.Logger you pass (it goes to stderr, then COMFYHCL_LOG_PATH):
//
//	func main() {
//		log := hclog.New(&hclog.LoggerOptions{Output: os.Stderr, JSONFormat: true})
//		plugins.Serve(mypool.New(log), plugins.ServeOptions{Logger: log})
//	}
//
// Serve answers `BINARY describe` with the provider's Description as JSON before any
// handshake, refuses to run by hand, serves gRPC with AutoMTLS and 64 MiB message caps,
// and runs a parent-death watchdog: if comfyhcl is killed, even with SIGKILL, the
// provider exits within a second. With ServeOptions.Debug it serves for a debugger and
// prints a COMFYHCL_REATTACH_PROVIDERS value to paste where comfyhcl runs.
//
// Step 4: test it through the real wire without building a binary. ServeInProcess
// returns the client side of an in-memory gRPC connection (protobuf conversion,
// streaming and diagnostics included):
//
//	p := plugins.ServeInProcess(t, mypool.New(nil), "mypool")
//	_, diags := p.Configure(ctx, plugins.ConfigureRequest{ConfigJSON: cfg})
//
// Step 5: build it as comfyhcl-provider-<name> and drop it in ./.comfyhcl/plugins, in
// $XDG_DATA_HOME/comfyhcl/plugins (default ~/.local/share/comfyhcl/plugins) or on PATH.
// Users declare it in required_providers (name = { source = "you/name", version =
// "~> 1.0" }; the part after the slash names the binary) and run `comfyhcl init`, which
// checks describe, the protocol and the version constraint and records the binary's
// sha256 in .comfyhcl.lock.hcl. A binary whose hash changes is refused until
// `comfyhcl init -upgrade`.
//
// # Compatibility promise
//
// The protocol has a major and a minor version (ProtocolMajor, ProtocolMinor; both
// are in Description and HostProtocol).
//
//   - The major is in the go-plugin handshake. comfyhcl talks only to providers of its
//     own major; a provider of another major is refused before any call, with one
//     diagnostic naming both versions and what to upgrade. The major changes only when
//     an existing RPC or field changes meaning, which we avoid.
//   - The minor travels in Metadata. A newer minor only adds RPCs, fields and
//     capabilities; fields are never renumbered or reused. A provider built against an
//     older minor keeps working with a newer comfyhcl: operations it lacks answer
//     "not supported" through UnimplementedProvider (or gRPC Unimplemented, which the
//     host turns into a diagnostic saying to upgrade the provider).
//   - Optional behaviour is announced with capability strings in Metadata
//     ("renders", "models", "nodes", "failover", ...); the host checks a capability
//     before relying on it, never the version number.
//   - The Go API of this package (Provider, the types, Serve and ServeOptions,
//     ServeInProcess, UnimplementedProvider, Launch) follows the same rule within a
//     major: additions only. lang and core make no such promise.
package plugins
