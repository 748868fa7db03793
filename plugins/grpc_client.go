package plugins

import (
	"context"
	"errors"
	"fmt"
	"io"

	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// grpcClient is the host's view of a provider in another process. Transport failures
// (a crashed or hung provider) become diagnostics that name the provider and operation,
// so a user never sees a bare gRPC error.
type grpcClient struct {
	name   string
	block  string
	client pb.ProviderClient
	// describeFailure adds the provider's log file and last stderr lines to a transport
	// failure, after giving a crashing process a moment to exit when waitExit is set;
	// set by Launch.
	describeFailure func(waitExit bool) string
}

// operationNames say in the user's terms what the core was doing when a provider failed.
var operationNames = map[string]string{
	"Metadata": "reading its metadata", "Configure": "configuring it", "Inventory": "reading the server's inventory",
	"Submit": "submitting a render", "Watch": "watching a render", "Fetch": "downloading a render's outputs",
	"Cancel": "cancelling a render", "PlanModel": "planning a model", "ApplyModel": "installing a model",
	"PlanNode": "planning a node pack", "ApplyNode": "installing a node pack", "Upload": "uploading a file",
	"Logs": "reading a job's logs", "Queue": "operating the queue",
}

func (c *grpcClient) transportError(op string, err error) Diagnostics {
	if err == nil {
		return nil
	}
	detail := err.Error()
	crashed := false
	if st, ok := status.FromError(err); ok {
		detail = st.Message()
		switch st.Code() {
		case codes.Unavailable:
			crashed = true
			detail = "The provider process stopped answering (it probably crashed): " + detail
		case codes.Canceled:
			detail = "cancelled"
		case codes.Unimplemented:
			detail = "The provider does not implement this operation (it was built for an older protocol minor); upgrade the provider."
		}
	}
	block := c.block
	if block == "" {
		block = fmt.Sprintf("provider %q", c.name)
	}
	what := operationNames[op]
	if what == "" {
		what = op
	}
	detail = fmt.Sprintf("Operation: %s (%s) for %s.\n%s", what, op, block, detail)
	if c.describeFailure != nil {
		if extra := c.describeFailure(crashed); extra != "" {
			detail += "\n" + extra
		}
	}
	return Diagnostics{{Severity: SeverityError,
		Summary: fmt.Sprintf("Provider %q failed during %s", c.name, op), Detail: detail}}
}

func (c *grpcClient) Metadata(ctx context.Context) (Metadata, Diagnostics) {
	resp, err := c.client.Metadata(ctx, &pb.MetadataRequest{})
	if err != nil {
		return Metadata{}, c.transportError("Metadata", err)
	}
	return Metadata{Name: resp.GetName(), Version: resp.GetVersion(), ProtocolMinor: int(resp.GetProtocolMinor()),
		Capabilities: resp.GetCapabilities(), ConfigSchema: schemaFromProto(resp.GetConfigSchema())}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Configure(ctx context.Context, req ConfigureRequest) (ConfigureResult, Diagnostics) {
	resp, err := c.client.Configure(ctx, &pb.ConfigureRequest{ConfigJson: req.ConfigJSON, ClientVersion: req.ClientVersion})
	if err != nil {
		return ConfigureResult{}, c.transportError("Configure", err)
	}
	return ConfigureResult{Concurrency: int(resp.GetConcurrency())}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Inventory(ctx context.Context, req InventoryRequest) (Inventory, Diagnostics) {
	resp, err := c.client.Inventory(ctx, &pb.InventoryRequest{ObjectInfo: req.ObjectInfo, ModelFolders: req.ModelFolders})
	if err != nil {
		return Inventory{}, c.transportError("Inventory", err)
	}
	return inventoryFromProto(resp), diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Submit(ctx context.Context, req SubmitRequest) (SubmitResult, Diagnostics) {
	resp, err := c.client.Submit(ctx, &pb.SubmitRequest{GraphJson: req.GraphJSON, Instance: req.Instance})
	if err != nil {
		return SubmitResult{}, c.transportError("Submit", err)
	}
	return SubmitResult{PromptID: resp.GetPromptId()}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Watch(ctx context.Context, req WatchRequest, onEvent func(Event)) Diagnostics {
	stream, err := c.client.Watch(ctx, &pb.WatchRequest{PromptId: req.PromptID, PreviewsDir: req.PreviewsDir})
	if err != nil {
		return c.transportError("Watch", err)
	}
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return c.transportError("Watch", err)
		}
		if len(msg.GetDiagnostics()) > 0 {
			return diagsFromProto(msg.GetDiagnostics())
		}
		onEvent(eventFromProto(msg))
	}
}

func (c *grpcClient) Fetch(ctx context.Context, req FetchRequest) (FetchResult, Diagnostics) {
	resp, err := c.client.Fetch(ctx, &pb.FetchRequest{PromptId: req.PromptID, OutputDir: req.OutputDir, Flat: req.Flat, OwnedPaths: req.OwnedPaths})
	if err != nil {
		return FetchResult{}, c.transportError("Fetch", err)
	}
	return FetchResult{Status: JobStatus(resp.GetStatus()), Files: filesFromProto(resp.GetFiles()),
		Error: execErrorFromProto(resp.GetError())}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Cancel(ctx context.Context, promptID string) Diagnostics {
	resp, err := c.client.Cancel(ctx, &pb.CancelRequest{PromptId: promptID})
	if err != nil {
		return c.transportError("Cancel", err)
	}
	return diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Stop(ctx context.Context) error {
	_, err := c.client.Stop(ctx, &pb.StopRequest{})
	return err
}
