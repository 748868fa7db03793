package plugins

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// echoProvider returns fixed values so that the test can check every field survives the
// trip through protobuf in both directions.
type echoProvider struct {
	UnimplementedProvider
	gotConfig []byte
	gotFetch  FetchRequest
}

var (
	echoMetadata = Metadata{Name: "echo", Version: "1.2.3", ProtocolMinor: ProtocolMinor, Capabilities: []string{"renders"},
		ConfigSchema: []AttributeSchema{{Name: "url", Type: "string", Required: true, Description: "where"}, {Name: "token", Type: "string", Sensitive: true}}}
	echoInventory = Inventory{ServerVersion: "0.3.64", RAMTotal: 10, RAMFree: 5,
		Devices:        []Device{{Name: "cuda:0", Type: "cuda", VRAMTotal: 24, VRAMFree: 20}},
		ObjectInfoJSON: []byte(`{"KSampler":{}}`),
		Models:         map[string]ModelList{"checkpoints": {Names: []string{"a.safetensors"}}, "loras": {FolderMissing: true}},
		QueueRemaining: 2}
	echoEvents = []Event{
		{Kind: EventStarted, PromptID: "p1"},
		{Kind: EventCached, PromptID: "p1", CachedNodes: []string{"1", "2"}},
		{Kind: EventProgress, PromptID: "p1", NodeID: "3", Value: 5, Max: 20, WorkflowFraction: 0.5},
		{Kind: EventFailed, PromptID: "p1", Error: &ExecutionError{NodeID: "3", NodeType: "KSampler", ExceptionType: "RuntimeError", ExceptionMessage: "boom", Traceback: []string{"a", "b"}}},
	}
	echoFetch = FetchResult{Status: JobSucceeded, Files: []OutputFile{{NodeID: "9", Path: "x/ComfyUI_00001_.png", Size: 42, SHA256: "ab", MediaType: "image/png"}}}
)

func (e *echoProvider) Metadata(context.Context) (Metadata, Diagnostics) { return echoMetadata, nil }
func (e *echoProvider) Configure(_ context.Context, req ConfigureRequest) (ConfigureResult, Diagnostics) {
	e.gotConfig = req.ConfigJSON
	return ConfigureResult{Concurrency: 3}, Diagnostics{{Severity: SeverityWarning, Summary: "w", Detail: "d", AttributePath: []string{"url"}}}
}
func (e *echoProvider) Inventory(context.Context, InventoryRequest) (Inventory, Diagnostics) {
	return echoInventory, nil
}
func (e *echoProvider) Submit(_ context.Context, req SubmitRequest) (SubmitResult, Diagnostics) {
	if string(req.GraphJSON) == "bad" {
		return SubmitResult{}, Errorf("rejected", "node %s", "4")
	}
	return SubmitResult{PromptID: "p1"}, nil
}
func (e *echoProvider) Watch(_ context.Context, _ WatchRequest, on func(Event)) Diagnostics {
	for _, ev := range echoEvents {
		on(ev)
	}
	return nil
}
func (e *echoProvider) Fetch(_ context.Context, req FetchRequest) (FetchResult, Diagnostics) {
	e.gotFetch = req
	return echoFetch, nil
}
func (e *echoProvider) Cancel(context.Context, string) Diagnostics {
	return Errorf("cannot cancel", "gone")
}
func (e *echoProvider) Stop(context.Context) error { return nil }

func TestGRPCRoundTrip(t *testing.T) {
	impl := &echoProvider{UnimplementedProvider: UnimplementedProvider{Name: "echo"}}
	p := ServeInProcess(t, impl, "echo")
	ctx := context.Background()

	md, diags := p.Metadata(ctx)
	if diags != nil || !cmp.Equal(md, echoMetadata) {
		t.Errorf("Metadata: %v %s", diags, cmp.Diff(echoMetadata, md))
	}
	res, diags := p.Configure(ctx, ConfigureRequest{ConfigJSON: []byte(`{"url":"x"}`)})
	if res.Concurrency != 3 || string(impl.gotConfig) != `{"url":"x"}` {
		t.Errorf("Configure: got %+v, config %s", res, impl.gotConfig)
	}
	if want := (Diagnostics{{Severity: SeverityWarning, Summary: "w", Detail: "d", AttributePath: []string{"url"}}}); !cmp.Equal(diags, want) {
		t.Errorf("Configure diagnostics: %s", cmp.Diff(want, diags))
	}
	inv, _ := p.Inventory(ctx, InventoryRequest{ObjectInfo: true})
	if d := cmp.Diff(echoInventory, inv); d != "" {
		t.Errorf("Inventory: %s", d)
	}
	if _, diags := p.Submit(ctx, SubmitRequest{GraphJSON: []byte("bad")}); !diags.HasErrors() || diags[0].Detail != "node 4" {
		t.Errorf("Submit error diagnostics lost: %v", diags)
	}
	var got []Event
	if diags := p.Watch(ctx, WatchRequest{PromptID: "p1"}, func(ev Event) { got = append(got, ev) }); diags != nil {
		t.Errorf("Watch: %v", diags)
	}
	if d := cmp.Diff(echoEvents, got); d != "" {
		t.Errorf("Watch events: %s", d)
	}
	fr, _ := p.Fetch(ctx, FetchRequest{PromptID: "p1", OutputDir: "/tmp/x", Flat: true, OwnedPaths: []string{"a.png"}})
	if d := cmp.Diff(echoFetch, fr); d != "" {
		t.Errorf("Fetch: %s", d)
	}
	if !cmp.Equal(impl.gotFetch, FetchRequest{PromptID: "p1", OutputDir: "/tmp/x", Flat: true, OwnedPaths: []string{"a.png"}}) {
		t.Errorf("Fetch request: %+v", impl.gotFetch)
	}
	if diags := p.Cancel(ctx, "p1"); !diags.HasErrors() {
		t.Error("Cancel diagnostics lost")
	}
}

func TestTailBufferKeepsLastLines(t *testing.T) {
	tb := newTailBuffer(2)
	tb.Write([]byte("one\ntwo\nthr"))
	tb.Write([]byte("ee\nfour"))
	if d := cmp.Diff([]string{"two", "three", "four"}, tb.Lines()); d != "" {
		t.Error(d)
	}
}

func (e *echoProvider) ApplyModel(_ context.Context, m ModelSpec, on func(InstallProgress)) (InstallProgress, Diagnostics) {
	on(InstallProgress{BytesDone: 1, BytesTotal: 2})
	on(InstallProgress{BytesDone: 2, BytesTotal: 2})
	return InstallProgress{SHA256: m.SHA256, Size: 2}, nil
}

func TestGRPCStreamsInstallProgressAndReportsUnsupported(t *testing.T) {
	p := ServeInProcess(t, &echoProvider{UnimplementedProvider: UnimplementedProvider{Name: "echo"}}, "echo")
	var seen []InstallProgress
	final, diags := p.ApplyModel(context.Background(), ModelSpec{SHA256: "abc", Headers: map[string]string{"Authorization": "x"}},
		func(ip InstallProgress) { seen = append(seen, ip) })
	if diags != nil || len(seen) != 2 || !final.Done || final.SHA256 != "abc" || final.Size != 2 {
		t.Errorf("ApplyModel: final %+v, progress %+v, diags %v", final, seen, diags)
	}
	_, diags = p.PlanNode(context.Background(), NodeSpec{Registry: "x"})
	if !diags.HasErrors() || diags[0].Summary != "Operation not supported" {
		t.Errorf("PlanNode on a provider without it: %v", diags)
	}
}
