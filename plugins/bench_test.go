package plugins

import (
	"context"
	"testing"
)

// BenchmarkRPC is the cost of one Submit call: on the Go value, through the in-memory
// gRPC harness, and to a provider subprocess (unix socket, mTLS), i.e. the per-call
// price of the plugin boundary.
func BenchmarkRPC(b *testing.B) {
	ctx := context.Background()
	graph := []byte(`{"3":{"class_type":"KSampler","inputs":{"seed":42,"steps":12}}}`)
	inst, diags := Launch(LaunchConfig{Name: "fake", Cmd: fakeCmd("ok")})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	defer inst.Close()
	for name, p := range map[string]Provider{
		"direct":     &echoProvider{},
		"inprocess":  ServeInProcess(b, &echoProvider{}, "echo"),
		"subprocess": inst,
	} {
		b.Run(name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if _, d := p.Submit(ctx, SubmitRequest{GraphJSON: graph}); d.HasErrors() {
					b.Fatal(d)
				}
			}
		})
	}
}

// BenchmarkLaunch is the start-up cost of a provider: process start, handshake with
// AutoMTLS, Metadata, Close.
func BenchmarkLaunch(b *testing.B) {
	for i := 0; i < b.N; i++ {
		inst, diags := Launch(LaunchConfig{Name: "fake", Cmd: fakeCmd("ok")})
		if diags.HasErrors() {
			b.Fatal(diags)
		}
		if _, d := inst.Metadata(context.Background()); d.HasErrors() {
			b.Fatal(d)
		}
		inst.Close()
	}
}
