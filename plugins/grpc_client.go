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
	client pb.ProviderClient
	// describeFailure adds the provider's log file and last stderr lines to a transport
	// failure; set by the launcher.
	describeFailure func() string
}

func (c *grpcClient) transportError(op string, err error) Diagnostics {
	if err == nil {
		return nil
	}
	detail := err.Error()
	if st, ok := status.FromError(err); ok {
		detail = st.Message()
		if st.Code() == codes.Unavailable {
			detail = "the provider process is not answering (it may have crashed): " + detail
		}
		if st.Code() == codes.Canceled {
			detail = "cancelled"
		}
	}
	if c.describeFailure != nil {
		if extra := c.describeFailure(); extra != "" {
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
