package plugins

import (
	"context"
	"fmt"
)

// UnimplementedProvider answers every optional operation with a diagnostic saying the
// provider does not support it. Embed it in a provider so that it keeps compiling when a
// later protocol minor adds operations; override what the backend can do.
type UnimplementedProvider struct {
	// Name is used in the diagnostics.
	Name string
}

func (u UnimplementedProvider) unsupported(op string) Diagnostics {
	name := u.Name
	if name == "" {
		name = "this provider"
	} else {
		name = fmt.Sprintf("provider %q", name)
	}
	return Diagnostics{{Severity: SeverityError, Summary: "Operation not supported",
		Detail: fmt.Sprintf("%s does not implement %s. Use a provider that does, or remove what needs it from the configuration.", name, op)}}
}

func (u UnimplementedProvider) PlanModel(context.Context, ModelSpec) (ModelPlan, Diagnostics) {
	return ModelPlan{}, u.unsupported("model management")
}

func (u UnimplementedProvider) ApplyModel(context.Context, ModelSpec, func(InstallProgress)) (InstallProgress, Diagnostics) {
	return InstallProgress{}, u.unsupported("model installs")
}

func (u UnimplementedProvider) PlanNode(context.Context, NodeSpec) (NodePlan, Diagnostics) {
	return NodePlan{}, u.unsupported("node pack management")
}

func (u UnimplementedProvider) ApplyNode(context.Context, NodeSpec, func(InstallProgress)) (InstallProgress, Diagnostics) {
	return InstallProgress{}, u.unsupported("node pack installs")
}

func (u UnimplementedProvider) Upload(context.Context, UploadRequest) (UploadResult, Diagnostics) {
	return UploadResult{}, u.unsupported("uploads")
}

func (u UnimplementedProvider) Logs(context.Context, LogsRequest) (LogsResult, Diagnostics) {
	return LogsResult{}, u.unsupported("logs")
}

func (u UnimplementedProvider) Queue(context.Context, QueueRequest) (QueueState, Diagnostics) {
	return QueueState{}, u.unsupported("queue operations")
}
