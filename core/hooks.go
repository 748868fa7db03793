package core

import "github.com/comfyhcl/comfyhcl/plugins"

// Hooks receive apply's progress; views implement them. Calls may come from several
// goroutines at once (renders run in parallel), so implementations must synchronise.
type Hooks interface {
	RenderSubmitted(addr, promptID string)
	RenderEvent(addr string, ev plugins.Event)
	RenderFinished(addr string, result RenderResult)
	OutputRemoved(addr, path string)
	InstallProgress(addr string, p plugins.InstallProgress)
	InstallFinished(addr string, ok bool, summary string)
	Skipped(addr, because string)
}

// RenderResult is how one render instance ended.
type RenderResult struct {
	Status   string // state.StatusSucceeded or state.StatusFailed
	PromptID string
	Outputs  []plugins.OutputFile // paths relative to the configuration directory
	Error    *plugins.ExecutionError
}

// NoHooks ignores every progress report.
type NoHooks struct{}

func (NoHooks) RenderSubmitted(string, string)                  {}
func (NoHooks) RenderEvent(string, plugins.Event)               {}
func (NoHooks) RenderFinished(string, RenderResult)             {}
func (NoHooks) OutputRemoved(string, string)                    {}
func (NoHooks) InstallProgress(string, plugins.InstallProgress) {}
func (NoHooks) InstallFinished(string, bool, string)            {}
func (NoHooks) Skipped(string, string)                          {}
