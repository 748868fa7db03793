// Command fakeprovider is a provider that misbehaves on purpose, for the host's
// robustness tests. FAKE_MODE picks the misbehaviour: ok, crash-start, hang, junk,
// proto2, crash-configure, debug.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

type fake struct{ plugins.UnimplementedProvider }

func (fake) Metadata(context.Context) (plugins.Metadata, plugins.Diagnostics) {
	return plugins.Metadata{Name: "fake", Version: "0.9.0", ProtocolMinor: plugins.ProtocolMinor, Capabilities: []string{"renders"},
		ConfigSchema: []plugins.AttributeSchema{{Name: "url", Type: "string", Required: true, Description: "where"}}}, nil
}
func (fake) Configure(context.Context, plugins.ConfigureRequest) (plugins.ConfigureResult, plugins.Diagnostics) {
	if os.Getenv("FAKE_MODE") == "crash-configure" {
		fmt.Fprintln(os.Stderr, "fake: about to fail configuring")
		panic("fake provider: nil map in Configure")
	}
	return plugins.ConfigureResult{Concurrency: 1}, nil
}
func (fake) Inventory(context.Context, plugins.InventoryRequest) (plugins.Inventory, plugins.Diagnostics) {
	return plugins.Inventory{}, nil
}
func (fake) Submit(context.Context, plugins.SubmitRequest) (plugins.SubmitResult, plugins.Diagnostics) {
	return plugins.SubmitResult{PromptID: "p"}, nil
}
func (fake) Watch(context.Context, plugins.WatchRequest, func(plugins.Event)) plugins.Diagnostics {
	return nil
}
func (fake) Fetch(context.Context, plugins.FetchRequest) (plugins.FetchResult, plugins.Diagnostics) {
	return plugins.FetchResult{}, nil
}
func (fake) Cancel(context.Context, string) plugins.Diagnostics { return nil }
func (fake) Stop(context.Context) error                         { return nil }

func main() {
	switch os.Getenv("FAKE_MODE") {
	case "crash-start":
		fmt.Fprintln(os.Stderr, "fake: loading settings")
		panic("fake provider: cannot start")
	case "hang":
		fmt.Fprintln(os.Stderr, "fake: waiting for something that never comes")
		time.Sleep(time.Hour)
	case "junk":
		fmt.Println("hello from an init function")
	case "proto2":
		serveProto2()
		return
	case "debug":
		plugins.Serve(fake{}, plugins.ServeOptions{Debug: true})
		return
	}
	plugins.Serve(fake{}, plugins.ServeOptions{})
}

// serveProto2 is a provider built against a future protocol major.
func serveProto2() {
	if len(os.Args) > 1 && os.Args[1] == "describe" {
		fmt.Println(`{"name":"fake","version":"2.0.0","protocol":{"major":2,"minor":0},"capabilities":["renders"]}`)
		return
	}
	hs := plugins.Handshake
	hs.ProtocolVersion = 2
	plugin.Serve(&plugin.ServeConfig{HandshakeConfig: hs, Plugins: plugin.PluginSet{"provider": grpcOnly{}},
		GRPCServer: plugin.DefaultGRPCServer})
}

type grpcOnly struct{ plugin.NetRPCUnsupportedPlugin }

func (grpcOnly) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error { return nil }
func (grpcOnly) GRPCClient(context.Context, *plugin.GRPCBroker, *grpc.ClientConn) (interface{}, error) {
	return nil, nil
}
