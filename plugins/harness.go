package plugins

import (
	"testing"

	"github.com/hashicorp/go-plugin"
)

// ServeInProcess runs p behind a real gRPC server and client inside the test process
// and returns the client side. Provider authors use it to test a provider through the
// same wire path comfyhcl takes, without building a binary. The connection closes when
// the test ends.
func ServeInProcess(t testing.TB, p Provider, name string) Provider {
	t.Helper()
	client, _ := plugin.TestPluginGRPCConn(t, false, plugin.PluginSet{pluginName: &providerPlugin{impl: p}})
	// Closing the client asks the server to shut down through go-plugin's controller;
	// stopping the server here as well would race with that.
	t.Cleanup(func() { client.Close() })
	raw, err := client.Dispense(pluginName)
	if err != nil {
		t.Fatalf("dispensing provider %q: %v", name, err)
	}
	gc := raw.(*grpcClient)
	gc.name = name
	return gc
}
