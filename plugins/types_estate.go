package plugins

// ModelSpec is a model block as the provider sees it. Headers are secrets: providers use
// them for the download and must never log or store them.
type ModelSpec struct {
	Folder  string
	File    string
	Source  string
	SHA256  string
	Size    int64
	Headers map[string]string
}

// ModelStatus is what the server has of a model file.
type ModelStatus int

const (
	ModelUnknown ModelStatus = iota
	ModelAbsent
	// ModelPresent: present with the declared sha256, or any content when none is declared.
	ModelPresent
	// ModelMismatch: present with another sha256 (a replace).
	ModelMismatch
	// ModelPresentByName: the server lists names only; present by name, unverified.
	ModelPresentByName
)

// ModelPlan is the provider's view of one model before apply.
type ModelPlan struct {
	Status        ModelStatus
	ActualSHA256  string
	ActualSize    int64
	Installable   bool
	InstallMethod string
}

// InstallProgress reports a model download or a node pack install. The last report has
// Done set and carries the result (hash and size, or version and commit).
type InstallProgress struct {
	BytesDone       int64
	BytesTotal      int64
	Message         string
	Done            bool
	SHA256          string
	Size            int64
	Version         string
	Commit          string
	RestartRequired bool
}

// NodeSpec is a node block: a Comfy Registry pack at a version, or a git repository at a
// ref (exactly one of Registry and Git is set).
type NodeSpec struct {
	Registry string
	Version  string
	Git      string
	Ref      string
}

// NodeStatus is what the server has of a node pack.
type NodeStatus int

const (
	NodeUnknown NodeStatus = iota
	NodeAbsent
	NodePresent
	NodeDifferent
)

// NodePlan is the provider's view of one node pack before apply.
type NodePlan struct {
	Status           NodeStatus
	InstalledVersion string
	InstalledCommit  string
	Installable      bool
	InstallMethod    string
	RestartRequired  bool
}

// UploadRequest uploads a local file for LoadImage-like inputs. Mask uploads name the
// image they belong to in OriginalRef.
type UploadRequest struct {
	Path        string
	Name        string
	Subfolder   string
	Overwrite   bool
	Mask        bool
	OriginalRef string
}

// UploadResult is the name the server stored the file under, which may differ from the
// requested one after a rename on collision.
type UploadResult struct {
	Name      string
	Subfolder string
	Type      string
}

// LogsRequest asks for what is known about one job; ServerLogLines > 0 also asks for the
// tail of the server's log (best effort).
type LogsRequest struct {
	PromptID       string
	ServerLogLines int
}

// LogsResult is a job's status messages, error and the server log around it.
type LogsResult struct {
	Status             string
	StatusMessagesJSON []string
	Error              *ExecutionError
	ServerLog          []string
}

// QueueOp is an operation on the server's queue.
type QueueOp int

const (
	QueueList QueueOp = iota
	QueueClear
	QueueCancel
	QueueInterrupt
)

// QueueRequest lists or changes the queue; PromptIDs are for QueueCancel (and a targeted
// QueueInterrupt).
type QueueRequest struct {
	Op        QueueOp
	PromptIDs []string
}

// QueueItem is one queued or running job.
type QueueItem struct {
	PromptID  string
	Number    float64
	NodeCount int
	ClientID  string
}

// QueueState is the queue after the operation.
type QueueState struct {
	Running []QueueItem
	Pending []QueueItem
}
