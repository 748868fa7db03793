package plugins

import "context"

// Provider is the contract every backend implements: a local ComfyUI server, Comfy
// Cloud, a pool of servers, or anything a third party writes. The core calls it through
// gRPC in a subprocess; provider authors implement it and hand it to Serve.
//
// Methods report problems as Diagnostics rather than errors so that they reach the user
// placed on the right HCL block. Watch calls onEvent for each event of the job, in order,
// and returns after the terminal one (or when ctx ends).
type Provider interface {
	Metadata(ctx context.Context) (Metadata, Diagnostics)
	Configure(ctx context.Context, req ConfigureRequest) (ConfigureResult, Diagnostics)
	Inventory(ctx context.Context, req InventoryRequest) (Inventory, Diagnostics)
	Submit(ctx context.Context, req SubmitRequest) (SubmitResult, Diagnostics)
	Watch(ctx context.Context, req WatchRequest, onEvent func(Event)) Diagnostics
	Fetch(ctx context.Context, req FetchRequest) (FetchResult, Diagnostics)
	Cancel(ctx context.Context, promptID string) Diagnostics
	// Stop releases the provider's connections; the process exits after the host closes it.
	Stop(ctx context.Context) error

	// Estate management. ApplyModel and ApplyNode report progress through onProgress and
	// return the final report.
	PlanModel(ctx context.Context, m ModelSpec) (ModelPlan, Diagnostics)
	ApplyModel(ctx context.Context, m ModelSpec, onProgress func(InstallProgress)) (InstallProgress, Diagnostics)
	PlanNode(ctx context.Context, n NodeSpec) (NodePlan, Diagnostics)
	ApplyNode(ctx context.Context, n NodeSpec, onProgress func(InstallProgress)) (InstallProgress, Diagnostics)

	// Operator commands.
	Upload(ctx context.Context, req UploadRequest) (UploadResult, Diagnostics)
	Logs(ctx context.Context, req LogsRequest) (LogsResult, Diagnostics)
	Queue(ctx context.Context, req QueueRequest) (QueueState, Diagnostics)
}

// ProtocolMajor is carried in the go-plugin handshake: a provider built for another
// major cannot be talked to at all. ProtocolMinor travels in Metadata: a newer minor only
// adds optional RPCs and capabilities.
const (
	ProtocolMajor = 1
	ProtocolMinor = 1
)
