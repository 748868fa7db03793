package plugins

// EventKind classifies the progress events a provider relays while a job runs.
type EventKind int

const (
	EventUnknown EventKind = iota
	EventQueued
	EventStarted
	EventCached
	EventExecuting
	EventProgress
	EventExecuted
	EventPreview
	EventSucceeded
	EventFailed
	EventInterrupted
)

var eventKindNames = map[EventKind]string{
	EventUnknown: "unknown", EventQueued: "queued", EventStarted: "started",
	EventCached: "cached", EventExecuting: "executing", EventProgress: "progress",
	EventExecuted: "executed", EventPreview: "preview", EventSucceeded: "succeeded",
	EventFailed: "failed", EventInterrupted: "interrupted",
}

func (k EventKind) String() string { return eventKindNames[k] }

// Terminal reports whether no further events follow for the job.
func (k EventKind) Terminal() bool {
	return k == EventSucceeded || k == EventFailed || k == EventInterrupted
}

// Event is one step of a job's life, as relayed from the server's WebSocket.
type Event struct {
	Kind             EventKind
	PromptID         string
	NodeID           string
	NodeType         string
	Value            int64
	Max              int64
	WorkflowFraction float64
	CachedNodes      []string
	Error            *ExecutionError
	PreviewPath      string
	UnixMillis       int64
	QueueRemaining   int
}
