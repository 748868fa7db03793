package plugins

// AttributeSchema describes one attribute of a provider's configuration block. Type is
// an HCL type expression such as "string", "number" or "map(string)".
type AttributeSchema struct {
	Name        string `json:"name"`
	Type        string `json:"type"`
	Required    bool   `json:"required,omitempty"`
	Sensitive   bool   `json:"sensitive,omitempty"`
	Description string `json:"description,omitempty"`
}

// Metadata is what a provider says about itself before it is configured.
type Metadata struct {
	Name          string
	Version       string
	ProtocolMinor int
	Capabilities  []string
	ConfigSchema  []AttributeSchema
}

// ConfigureRequest carries the provider block, evaluated by the core, as a JSON object.
type ConfigureRequest struct {
	ConfigJSON    []byte
	ClientVersion string
}

// ConfigureResult tells the core how many renders it may run at once.
type ConfigureResult struct {
	Concurrency int
}

// InventoryRequest asks for the server's facts; ObjectInfo and model folders are
// optional because they can be large.
type InventoryRequest struct {
	ObjectInfo   bool
	ModelFolders []string
}

// Device is one compute device of the server (from /system_stats).
type Device struct {
	Name      string
	Type      string
	VRAMTotal int64
	VRAMFree  int64
}

// ModelList is the content of one model folder. FolderMissing distinguishes a folder the
// server does not know from an empty one.
type ModelList struct {
	Names         []string
	FolderMissing bool
}

// Inventory is a snapshot of what the server has.
type Inventory struct {
	ServerVersion  string
	RAMTotal       int64
	RAMFree        int64
	Devices        []Device
	ObjectInfoJSON []byte
	Models         map[string]ModelList
	QueueRemaining int
}

// SubmitRequest is one API-format graph to queue. Instance is the render instance
// address, used only in logs and diagnostics.
type SubmitRequest struct {
	GraphJSON []byte
	Instance  string
}

// SubmitResult identifies the queued job.
type SubmitResult struct {
	PromptID string
}

// WatchRequest asks for the events of one job; previews go to PreviewsDir when set.
type WatchRequest struct {
	PromptID    string
	PreviewsDir string
}

// ExecutionError is a node failure reported by the server.
type ExecutionError struct {
	NodeID            string
	NodeType          string
	ExceptionType     string
	ExceptionMessage  string
	Traceback         []string
	CurrentInputsJSON string
}

// FetchRequest asks the provider to download a finished job's outputs under OutputDir.
type FetchRequest struct {
	PromptID   string
	OutputDir  string
	Flat       bool
	OwnedPaths []string
}

// OutputFile is one downloaded output; Path is relative to the FetchRequest's OutputDir.
type OutputFile struct {
	NodeID    string
	Path      string
	Size      int64
	SHA256    string
	MediaType string
}

// JobStatus is the final state of a job as its history tells it.
type JobStatus int

const (
	JobUnknown JobStatus = iota
	JobSucceeded
	JobFailed
	JobInterrupted
	JobPending
)

func (s JobStatus) String() string {
	switch s {
	case JobSucceeded:
		return "succeeded"
	case JobFailed:
		return "failed"
	case JobInterrupted:
		return "interrupted"
	case JobPending:
		return "pending"
	}
	return "unknown"
}

// FetchResult is the outcome of a job and, when it succeeded, its files.
type FetchResult struct {
	Status JobStatus
	Files  []OutputFile
	Error  *ExecutionError
}
