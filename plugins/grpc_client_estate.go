package plugins

import (
	"context"
	"errors"
	"io"

	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// unimplemented turns an older provider's "unknown method" into the same diagnostic a
// provider embedding UnimplementedProvider gives.
func (c *grpcClient) unimplemented(op string, err error) Diagnostics {
	if status.Code(err) == codes.Unimplemented {
		return UnimplementedProvider{Name: c.name}.unsupported(op)
	}
	return c.transportError(op, err)
}

func (c *grpcClient) PlanModel(ctx context.Context, m ModelSpec) (ModelPlan, Diagnostics) {
	resp, err := c.client.PlanModel(ctx, &pb.PlanModelRequest{Model: modelSpecToProto(m)})
	if err != nil {
		return ModelPlan{}, c.unimplemented("PlanModel", err)
	}
	return ModelPlan{Status: ModelStatus(resp.GetStatus()), ActualSHA256: resp.GetActualSha256(), ActualSize: resp.GetActualSize(),
		Installable: resp.GetInstallable(), InstallMethod: resp.GetInstallMethod()}, diagsFromProto(resp.GetDiagnostics())
}

type progressStream interface {
	Recv() (*pb.InstallProgress, error)
}

func (c *grpcClient) drainProgress(op string, stream progressStream, onProgress func(InstallProgress)) (InstallProgress, Diagnostics) {
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return InstallProgress{}, c.transportError(op, errors.New("the provider closed the stream without a final report"))
		}
		if err != nil {
			return InstallProgress{}, c.unimplemented(op, err)
		}
		p := progressFromProto(msg)
		if p.Done {
			return p, diagsFromProto(msg.GetDiagnostics())
		}
		if onProgress != nil {
			onProgress(p)
		}
	}
}

func (c *grpcClient) ApplyModel(ctx context.Context, m ModelSpec, onProgress func(InstallProgress)) (InstallProgress, Diagnostics) {
	stream, err := c.client.ApplyModel(ctx, &pb.ApplyModelRequest{Model: modelSpecToProto(m)})
	if err != nil {
		return InstallProgress{}, c.unimplemented("ApplyModel", err)
	}
	return c.drainProgress("ApplyModel", stream, onProgress)
}

func (c *grpcClient) PlanNode(ctx context.Context, n NodeSpec) (NodePlan, Diagnostics) {
	resp, err := c.client.PlanNode(ctx, &pb.PlanNodeRequest{Node: nodeSpecToProto(n)})
	if err != nil {
		return NodePlan{}, c.unimplemented("PlanNode", err)
	}
	return NodePlan{Status: NodeStatus(resp.GetStatus()), InstalledVersion: resp.GetInstalledVersion(),
		InstalledCommit: resp.GetInstalledCommit(), Installable: resp.GetInstallable(), InstallMethod: resp.GetInstallMethod(),
		RestartRequired: resp.GetRestartRequired()}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) ApplyNode(ctx context.Context, n NodeSpec, onProgress func(InstallProgress)) (InstallProgress, Diagnostics) {
	stream, err := c.client.ApplyNode(ctx, &pb.ApplyNodeRequest{Node: nodeSpecToProto(n)})
	if err != nil {
		return InstallProgress{}, c.unimplemented("ApplyNode", err)
	}
	return c.drainProgress("ApplyNode", stream, onProgress)
}

func (c *grpcClient) Upload(ctx context.Context, req UploadRequest) (UploadResult, Diagnostics) {
	resp, err := c.client.Upload(ctx, &pb.UploadRequest{Path: req.Path, Name: req.Name, Subfolder: req.Subfolder,
		Overwrite: req.Overwrite, Mask: req.Mask, OriginalRef: req.OriginalRef})
	if err != nil {
		return UploadResult{}, c.unimplemented("Upload", err)
	}
	return UploadResult{Name: resp.GetName(), Subfolder: resp.GetSubfolder(), Type: resp.GetType()}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Logs(ctx context.Context, req LogsRequest) (LogsResult, Diagnostics) {
	resp, err := c.client.Logs(ctx, &pb.LogsRequest{PromptId: req.PromptID, ServerLogLines: int32(req.ServerLogLines)})
	if err != nil {
		return LogsResult{}, c.unimplemented("Logs", err)
	}
	return LogsResult{Status: resp.GetStatus(), StatusMessagesJSON: resp.GetStatusMessagesJson(), Error: execErrorFromProto(resp.GetError()),
		ServerLog: resp.GetServerLog()}, diagsFromProto(resp.GetDiagnostics())
}

func (c *grpcClient) Queue(ctx context.Context, req QueueRequest) (QueueState, Diagnostics) {
	resp, err := c.client.Queue(ctx, &pb.QueueRequest{Op: pb.QueueRequest_Op(req.Op), PromptIds: req.PromptIDs})
	if err != nil {
		return QueueState{}, c.unimplemented("Queue", err)
	}
	return QueueState{Running: queueItemsFromProto(resp.GetRunning()), Pending: queueItemsFromProto(resp.GetPending())},
		diagsFromProto(resp.GetDiagnostics())
}
