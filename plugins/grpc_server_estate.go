package plugins

import (
	"context"

	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
)

func (s *grpcServer) PlanModel(ctx context.Context, req *pb.PlanModelRequest) (*pb.PlanModelResponse, error) {
	mp, diags := s.impl.PlanModel(ctx, modelSpecFromProto(req.GetModel()))
	return &pb.PlanModelResponse{Status: pb.PlanModelResponse_Status(mp.Status), ActualSha256: mp.ActualSHA256,
		ActualSize: mp.ActualSize, Installable: mp.Installable, InstallMethod: mp.InstallMethod,
		Diagnostics: diagsToProto(diags)}, nil
}

// ApplyModel and ApplyNode stream progress; the last message has done set and carries
// the result and the diagnostics.
func (s *grpcServer) ApplyModel(req *pb.ApplyModelRequest, stream pb.Provider_ApplyModelServer) error {
	var sendErr error
	final, diags := s.impl.ApplyModel(stream.Context(), modelSpecFromProto(req.GetModel()), func(p InstallProgress) {
		if sendErr == nil && !p.Done {
			sendErr = stream.Send(progressToProto(p, nil))
		}
	})
	if sendErr != nil {
		return sendErr
	}
	final.Done = true
	return stream.Send(progressToProto(final, diags))
}

func (s *grpcServer) PlanNode(ctx context.Context, req *pb.PlanNodeRequest) (*pb.PlanNodeResponse, error) {
	np, diags := s.impl.PlanNode(ctx, nodeSpecFromProto(req.GetNode()))
	return &pb.PlanNodeResponse{Status: pb.PlanNodeResponse_Status(np.Status), InstalledVersion: np.InstalledVersion,
		InstalledCommit: np.InstalledCommit, Installable: np.Installable, InstallMethod: np.InstallMethod,
		RestartRequired: np.RestartRequired, Diagnostics: diagsToProto(diags)}, nil
}

func (s *grpcServer) ApplyNode(req *pb.ApplyNodeRequest, stream pb.Provider_ApplyNodeServer) error {
	var sendErr error
	final, diags := s.impl.ApplyNode(stream.Context(), nodeSpecFromProto(req.GetNode()), func(p InstallProgress) {
		if sendErr == nil && !p.Done {
			sendErr = stream.Send(progressToProto(p, nil))
		}
	})
	if sendErr != nil {
		return sendErr
	}
	final.Done = true
	return stream.Send(progressToProto(final, diags))
}

func (s *grpcServer) Upload(ctx context.Context, req *pb.UploadRequest) (*pb.UploadResponse, error) {
	res, diags := s.impl.Upload(ctx, UploadRequest{Path: req.GetPath(), Name: req.GetName(), Subfolder: req.GetSubfolder(),
		Overwrite: req.GetOverwrite(), Mask: req.GetMask(), OriginalRef: req.GetOriginalRef()})
	return &pb.UploadResponse{Name: res.Name, Subfolder: res.Subfolder, Type: res.Type, Diagnostics: diagsToProto(diags)}, nil
}

func (s *grpcServer) Logs(ctx context.Context, req *pb.LogsRequest) (*pb.LogsResponse, error) {
	res, diags := s.impl.Logs(ctx, LogsRequest{PromptID: req.GetPromptId(), ServerLogLines: int(req.GetServerLogLines())})
	return &pb.LogsResponse{Status: res.Status, StatusMessagesJson: res.StatusMessagesJSON, Error: execErrorToProto(res.Error),
		ServerLog: res.ServerLog, Diagnostics: diagsToProto(diags)}, nil
}

func (s *grpcServer) Queue(ctx context.Context, req *pb.QueueRequest) (*pb.QueueResponse, error) {
	res, diags := s.impl.Queue(ctx, QueueRequest{Op: QueueOp(req.GetOp()), PromptIDs: req.GetPromptIds()})
	return &pb.QueueResponse{Running: queueItemsToProto(res.Running), Pending: queueItemsToProto(res.Pending),
		Diagnostics: diagsToProto(diags)}, nil
}
