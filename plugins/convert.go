package plugins

import (
	pb "github.com/comfyhcl/comfyhcl/plugins/proto"
)

// The functions below translate between the public Go types and the wire messages.
// They are the only place the two meet, which keeps protobuf inside this package.

func diagsToProto(d Diagnostics) []*pb.Diagnostic {
	out := make([]*pb.Diagnostic, 0, len(d))
	for _, x := range d {
		sev := pb.Diagnostic_ERROR
		if x.Severity == SeverityWarning {
			sev = pb.Diagnostic_WARNING
		}
		out = append(out, &pb.Diagnostic{Severity: sev, Summary: x.Summary, Detail: x.Detail, AttributePath: x.AttributePath})
	}
	return out
}

func diagsFromProto(in []*pb.Diagnostic) Diagnostics {
	var out Diagnostics
	for _, x := range in {
		sev := SeverityError
		if x.GetSeverity() == pb.Diagnostic_WARNING {
			sev = SeverityWarning
		}
		out = append(out, Diagnostic{Severity: sev, Summary: x.GetSummary(), Detail: x.GetDetail(), AttributePath: x.GetAttributePath()})
	}
	return out
}

func schemaToProto(in []AttributeSchema) []*pb.AttributeSchema {
	out := make([]*pb.AttributeSchema, 0, len(in))
	for _, a := range in {
		out = append(out, &pb.AttributeSchema{Name: a.Name, Type: a.Type, Required: a.Required, Sensitive: a.Sensitive, Description: a.Description})
	}
	return out
}

func schemaFromProto(in []*pb.AttributeSchema) []AttributeSchema {
	out := make([]AttributeSchema, 0, len(in))
	for _, a := range in {
		out = append(out, AttributeSchema{Name: a.GetName(), Type: a.GetType(), Required: a.GetRequired(), Sensitive: a.GetSensitive(), Description: a.GetDescription()})
	}
	return out
}

func inventoryToProto(inv Inventory) *pb.InventoryResponse {
	resp := &pb.InventoryResponse{
		ServerVersion:  inv.ServerVersion,
		RamTotal:       inv.RAMTotal,
		RamFree:        inv.RAMFree,
		ObjectInfoJson: inv.ObjectInfoJSON,
		QueueRemaining: int32(inv.QueueRemaining),
		Models:         map[string]*pb.ModelList{},
	}
	for _, d := range inv.Devices {
		resp.Devices = append(resp.Devices, &pb.Device{Name: d.Name, Type: d.Type, VramTotal: d.VRAMTotal, VramFree: d.VRAMFree})
	}
	for folder, list := range inv.Models {
		resp.Models[folder] = &pb.ModelList{Names: list.Names, FolderMissing: list.FolderMissing}
	}
	return resp
}

func inventoryFromProto(resp *pb.InventoryResponse) Inventory {
	inv := Inventory{
		ServerVersion:  resp.GetServerVersion(),
		RAMTotal:       resp.GetRamTotal(),
		RAMFree:        resp.GetRamFree(),
		ObjectInfoJSON: resp.GetObjectInfoJson(),
		QueueRemaining: int(resp.GetQueueRemaining()),
		Models:         map[string]ModelList{},
	}
	for _, d := range resp.GetDevices() {
		inv.Devices = append(inv.Devices, Device{Name: d.GetName(), Type: d.GetType(), VRAMTotal: d.GetVramTotal(), VRAMFree: d.GetVramFree()})
	}
	for folder, list := range resp.GetModels() {
		inv.Models[folder] = ModelList{Names: list.GetNames(), FolderMissing: list.GetFolderMissing()}
	}
	return inv
}

func execErrorToProto(e *ExecutionError) *pb.ExecutionError {
	if e == nil {
		return nil
	}
	return &pb.ExecutionError{NodeId: e.NodeID, NodeType: e.NodeType, ExceptionType: e.ExceptionType,
		ExceptionMessage: e.ExceptionMessage, Traceback: e.Traceback, CurrentInputsJson: e.CurrentInputsJSON}
}

func execErrorFromProto(e *pb.ExecutionError) *ExecutionError {
	if e == nil {
		return nil
	}
	return &ExecutionError{NodeID: e.GetNodeId(), NodeType: e.GetNodeType(), ExceptionType: e.GetExceptionType(),
		ExceptionMessage: e.GetExceptionMessage(), Traceback: e.GetTraceback(), CurrentInputsJSON: e.GetCurrentInputsJson()}
}

func eventToProto(ev Event) *pb.Event {
	return &pb.Event{
		Kind: pb.Event_Kind(ev.Kind), PromptId: ev.PromptID, NodeId: ev.NodeID, NodeType: ev.NodeType,
		Value: ev.Value, Max: ev.Max, WorkflowFraction: ev.WorkflowFraction, CachedNodes: ev.CachedNodes,
		Error: execErrorToProto(ev.Error), PreviewPath: ev.PreviewPath, UnixMillis: ev.UnixMillis,
		QueueRemaining: int32(ev.QueueRemaining),
	}
}

func eventFromProto(ev *pb.Event) Event {
	return Event{
		Kind: EventKind(ev.GetKind()), PromptID: ev.GetPromptId(), NodeID: ev.GetNodeId(), NodeType: ev.GetNodeType(),
		Value: ev.GetValue(), Max: ev.GetMax(), WorkflowFraction: ev.GetWorkflowFraction(), CachedNodes: ev.GetCachedNodes(),
		Error: execErrorFromProto(ev.GetError()), PreviewPath: ev.GetPreviewPath(), UnixMillis: ev.GetUnixMillis(),
		QueueRemaining: int(ev.GetQueueRemaining()),
	}
}

func filesToProto(in []OutputFile) []*pb.OutputFile {
	out := make([]*pb.OutputFile, 0, len(in))
	for _, f := range in {
		out = append(out, &pb.OutputFile{NodeId: f.NodeID, Path: f.Path, Size: f.Size, Sha256: f.SHA256, MediaType: f.MediaType})
	}
	return out
}

func filesFromProto(in []*pb.OutputFile) []OutputFile {
	out := make([]OutputFile, 0, len(in))
	for _, f := range in {
		out = append(out, OutputFile{NodeID: f.GetNodeId(), Path: f.GetPath(), Size: f.GetSize(), SHA256: f.GetSha256(), MediaType: f.GetMediaType()})
	}
	return out
}
