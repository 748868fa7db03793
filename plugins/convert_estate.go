package plugins

import (
	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
)

func modelSpecToProto(m ModelSpec) *pb.ModelSpec {
	return &pb.ModelSpec{Folder: m.Folder, File: m.File, Source: m.Source, Sha256: m.SHA256, Size: m.Size, Headers: m.Headers}
}

func modelSpecFromProto(m *pb.ModelSpec) ModelSpec {
	return ModelSpec{Folder: m.GetFolder(), File: m.GetFile(), Source: m.GetSource(), SHA256: m.GetSha256(), Size: m.GetSize(), Headers: m.GetHeaders()}
}

func nodeSpecToProto(n NodeSpec) *pb.NodeSpec {
	return &pb.NodeSpec{Registry: n.Registry, Version: n.Version, Git: n.Git, Ref: n.Ref}
}

func nodeSpecFromProto(n *pb.NodeSpec) NodeSpec {
	return NodeSpec{Registry: n.GetRegistry(), Version: n.GetVersion(), Git: n.GetGit(), Ref: n.GetRef()}
}

func progressToProto(p InstallProgress, diags Diagnostics) *pb.InstallProgress {
	return &pb.InstallProgress{BytesDone: p.BytesDone, BytesTotal: p.BytesTotal, Message: p.Message, Done: p.Done,
		Sha256: p.SHA256, Size: p.Size, Version: p.Version, Commit: p.Commit, RestartRequired: p.RestartRequired,
		Diagnostics: diagsToProto(diags)}
}

func progressFromProto(p *pb.InstallProgress) InstallProgress {
	return InstallProgress{BytesDone: p.GetBytesDone(), BytesTotal: p.GetBytesTotal(), Message: p.GetMessage(), Done: p.GetDone(),
		SHA256: p.GetSha256(), Size: p.GetSize(), Version: p.GetVersion(), Commit: p.GetCommit(), RestartRequired: p.GetRestartRequired()}
}

func queueItemsToProto(in []QueueItem) []*pb.QueueItem {
	out := make([]*pb.QueueItem, 0, len(in))
	for _, q := range in {
		out = append(out, &pb.QueueItem{PromptId: q.PromptID, Number: q.Number, NodeCount: int32(q.NodeCount), ClientId: q.ClientID})
	}
	return out
}

func queueItemsFromProto(in []*pb.QueueItem) []QueueItem {
	out := make([]QueueItem, 0, len(in))
	for _, q := range in {
		out = append(out, QueueItem{PromptID: q.GetPromptId(), Number: q.GetNumber(), NodeCount: int(q.GetNodeCount()), ClientID: q.GetClientId()})
	}
	return out
}
