package plugins

import (
	"context"

	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
)

// grpcServer exposes a Provider implementation as the gRPC service.
type grpcServer struct {
	pb.UnimplementedProviderServer
	impl Provider
}

func (s *grpcServer) Metadata(ctx context.Context, _ *pb.MetadataRequest) (*pb.MetadataResponse, error) {
	md, diags := s.impl.Metadata(ctx)
	return &pb.MetadataResponse{
		Name: md.Name, Version: md.Version, ProtocolMinor: int32(md.ProtocolMinor),
		Capabilities: md.Capabilities, ConfigSchema: schemaToProto(md.ConfigSchema),
		Diagnostics: diagsToProto(diags),
	}, nil
}

func (s *grpcServer) Configure(ctx context.Context, req *pb.ConfigureRequest) (*pb.ConfigureResponse, error) {
	res, diags := s.impl.Configure(ctx, ConfigureRequest{ConfigJSON: req.GetConfigJson(), ClientVersion: req.GetClientVersion()})
	return &pb.ConfigureResponse{Concurrency: int32(res.Concurrency), Diagnostics: diagsToProto(diags)}, nil
}

func (s *grpcServer) Inventory(ctx context.Context, req *pb.InventoryRequest) (*pb.InventoryResponse, error) {
	inv, diags := s.impl.Inventory(ctx, InventoryRequest{ObjectInfo: req.GetObjectInfo(), ModelFolders: req.GetModelFolders()})
	resp := inventoryToProto(inv)
	resp.Diagnostics = diagsToProto(diags)
	return resp, nil
}

func (s *grpcServer) Submit(ctx context.Context, req *pb.SubmitRequest) (*pb.SubmitResponse, error) {
	res, diags := s.impl.Submit(ctx, SubmitRequest{GraphJSON: req.GetGraphJson(), Instance: req.GetInstance()})
	return &pb.SubmitResponse{PromptId: res.PromptID, Diagnostics: diagsToProto(diags)}, nil
}

// Watch streams events; provider diagnostics end the stream as one last message that
// carries only them.
func (s *grpcServer) Watch(req *pb.WatchRequest, stream pb.Provider_WatchServer) error {
	var sendErr error
	diags := s.impl.Watch(stream.Context(), WatchRequest{PromptID: req.GetPromptId(), PreviewsDir: req.GetPreviewsDir()}, func(ev Event) {
		if sendErr == nil {
			sendErr = stream.Send(eventToProto(ev))
		}
	})
	if sendErr != nil {
		return sendErr
	}
	if len(diags) > 0 {
		return stream.Send(&pb.Event{PromptId: req.GetPromptId(), Diagnostics: diagsToProto(diags)})
	}
	return nil
}

func (s *grpcServer) Fetch(ctx context.Context, req *pb.FetchRequest) (*pb.FetchResponse, error) {
	res, diags := s.impl.Fetch(ctx, FetchRequest{PromptID: req.GetPromptId(), OutputDir: req.GetOutputDir(), Flat: req.GetFlat(), OwnedPaths: req.GetOwnedPaths()})
	return &pb.FetchResponse{Status: pb.FetchResponse_Status(res.Status), Files: filesToProto(res.Files),
		Error: execErrorToProto(res.Error), Diagnostics: diagsToProto(diags)}, nil
}

func (s *grpcServer) Cancel(ctx context.Context, req *pb.CancelRequest) (*pb.CancelResponse, error) {
	return &pb.CancelResponse{Diagnostics: diagsToProto(s.impl.Cancel(ctx, req.GetPromptId()))}, nil
}

func (s *grpcServer) Stop(ctx context.Context, _ *pb.StopRequest) (*pb.StopResponse, error) {
	return &pb.StopResponse{}, s.impl.Stop(ctx)
}
