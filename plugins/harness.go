package plugins

import (
	"sync"
	"testing"

	"github.com/hashicorp/go-plugin"
)

// ServeInProcess runs p behind a real gRPC server and client inside the test process
// and returns the client side. Provider authors use it to test a provider through the
// same wire path comfyhcl takes (protobuf conversion, streaming, diagnostics), without
// building a binary. The connection closes when the test ends.
//
//	func TestSubmit(t *testing.T) {
//		p := plugins.ServeInProcess(t, mypool.New(), "pool")
//		md, diags := p.Metadata(ctx)
//		...
//	}
func ServeInProcess(t testing.TB, p Provider, name string) Provider {
	t.Helper()
	gc, closeFn := serveInProcess(t, p, name)
	t.Cleanup(closeFn)
	return gc
}

// InProcessInstance is ServeInProcess wrapped as an Instance, for hosts that want an
// Instance (the core's Launcher) without a subprocess: benchmarks of the plugin
// boundary and tests of the core. Close ends the connection; so does the test's end.
func InProcessInstance(t testing.TB, p Provider, name string) *Instance {
	t.Helper()
	gc, closeFn := serveInProcess(t, p, name)
	var once sync.Once
	done := func() { once.Do(closeFn) }
	t.Cleanup(done)
	return &Instance{Provider: gc, Name: name, inProcess: done}
}

func serveInProcess(t testing.TB, p Provider, name string) (*grpcClient, func()) {
	client, _ := plugin.TestPluginGRPCConn(t, false, plugin.PluginSet{pluginName: &providerPlugin{impl: p}})
	raw, err := client.Dispense(pluginName)
	if err != nil {
		t.Fatalf("dispensing provider %q: %v", name, err)
	}
	gc := raw.(*grpcClient)
	gc.name = name
	// Closing the client asks the server to shut down through go-plugin's controller;
	// stopping the server here as well would race with that.
	return gc, func() { client.Close() }
}
