package launch

import (
	"context"
	"fmt"
	"path/filepath"
	"time"
)

// Options configure Setup. Zero values take comfy-cli's defaults.
type Options struct {
	Workspace string        // default DefaultWorkspace()
	Listen    string        // default 127.0.0.1
	Port      int           // default 8188
	GPU       string        // nvidia, amd, m-series, intel-arc, cpu; "" = cpu unless the caller picked (see GPUForHost)
	Timeout   time.Duration // wait for the server to answer; default 10 minutes
	Env       []string      // environment of every command; nil = this process's
	// Progress, when set, hears each step as it finishes.
	Progress func(Step)
}

// Step is one finished stage of Setup, for progress display.
type Step struct {
	Name   string `json:"name"`   // comfy-cli, comfyui, server
	Status string `json:"status"` // found, installed, present, launched, running
	Detail string `json:"detail"`
}

// Result is what Setup did. Server is "launched" or "already running"; Record is set
// when comfyhcl launched the server now or earlier.
type Result struct {
	URL        string  `json:"url"`
	Server     string  `json:"server"`
	CLI        *CLI    `json:"comfy_cli,omitempty"`
	Installed  bool    `json:"comfyui_installed_now"`
	Workspace  string  `json:"workspace"`
	Record     *Record `json:"record,omitempty"`
	RecordPath string  `json:"record_path,omitempty"`
	Steps      []Step  `json:"steps"`
}

func (o *Options) defaults() error {
	if o.Workspace == "" {
		o.Workspace = DefaultWorkspace()
	}
	ws, err := filepath.Abs(o.Workspace)
	if err != nil {
		return err
	}
	o.Workspace = ws
	if o.Listen == "" {
		o.Listen = "127.0.0.1"
	}
	if o.Port == 0 {
		o.Port = 8188
	}
	if o.Port < 1 || o.Port > 65535 {
		return fmt.Errorf("port %d is out of range 1-65535", o.Port)
	}
	if o.GPU == "" {
		o.GPU = "cpu"
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	return nil
}

// Setup makes a ComfyUI answer on listen:port: left alone when one already does;
// otherwise comfy-cli installed, ComfyUI installed into the workspace, launched, waited
// for, and recorded. When ctx is cancelled it kills what it started and returns ctx.Err().
func Setup(ctx context.Context, o Options) (*Result, error) {
	if err := o.defaults(); err != nil {
		return nil, err
	}
	res := &Result{URL: ServerURL(o.Listen, o.Port), Workspace: o.Workspace}
	step := func(name, status, detail string) {
		s := Step{Name: name, Status: status, Detail: detail}
		res.Steps = append(res.Steps, s)
		if o.Progress != nil {
			o.Progress(s)
		}
	}
	rec, recErr := LoadRecord(o.Workspace)
	if Answering(ctx, res.URL) {
		res.Server = "already running"
		detail := "not launched by comfyhcl; left alone"
		if recErr == nil && rec != nil && rec.Port == o.Port && rec.Alive() {
			res.Record, res.RecordPath = rec, RecordPath(o.Workspace)
			detail = fmt.Sprintf("launched by comfyhcl (pid %d, log %s); left alone", rec.PID, rec.LogPath)
		}
		step("server", "running", res.URL+" answers: "+detail)
		return res, nil
	}
	if recErr == nil && rec != nil && rec.Alive() {
		if rec.Port != o.Port && Answering(ctx, rec.URL) {
			return res, fmt.Errorf("comfyhcl already runs ComfyUI from %s at %s (pid %d): use that one, or stop it first with `comfyhcl setup -stop -workspace %s`",
				o.Workspace, rec.URL, rec.PID, o.Workspace)
		}
		// Ours but silent (wedged, or still loading): stop it rather than start a twin.
		if err := Stop(rec); err != nil {
			return res, err
		}
		step("server", "stopped", fmt.Sprintf("pid %d (launched by comfyhcl) did not answer; stopped it", rec.PID))
	}
	if err := portTaken(o.Listen, o.Port); err != nil {
		return res, err
	}
	r := &runner{env: o.Env}
	cli, err := r.ensureCLI(ctx)
	if err != nil {
		return res, err
	}
	res.CLI = &cli
	if cli.Via == "found" {
		step("comfy-cli", "found", cli.Command[0])
	} else {
		step("comfy-cli", "installed", "with "+cli.Via+": "+joinArgv(cli.Command))
	}
	installed, err := r.installComfyUI(ctx, cli, o.Workspace, o.GPU)
	if err != nil {
		return res, err
	}
	res.Installed = installed
	if installed {
		step("comfyui", "installed", fmt.Sprintf("%s (%s build)", o.Workspace, o.GPU))
	} else {
		step("comfyui", "present", o.Workspace)
	}
	nrec := &Record{Listen: o.Listen, Port: o.Port, URL: res.URL, Workspace: o.Workspace,
		LogPath: LogPath(o.Workspace, o.Port), Command: launchArgs(cli, o.Workspace, o.Listen, o.Port)}
	if err := r.launch(ctx, nrec, o.Timeout); err != nil {
		return res, err
	}
	res.Server, res.Record, res.RecordPath = "launched", nrec, RecordPath(o.Workspace)
	step("server", "launched", fmt.Sprintf("pid %d answers at %s; log %s", nrec.PID, res.URL, nrec.LogPath))
	return res, nil
}

// launch starts rec.Command, waits for it and saves rec; if the record cannot be saved
// the server is stopped again (an unrecorded server is one nobody can manage).
func (r *runner) launch(ctx context.Context, rec *Record, timeout time.Duration) error {
	pid, err := r.start(ctx, rec.Command, rec.Workspace, rec.LogPath, rec.URL, timeout)
	if err != nil {
		return err
	}
	rec.PID, rec.StartedAt, rec.ProcessStart = pid, time.Now().UTC(), nil
	if t, ok := processStart(pid); ok {
		t = t.UTC()
		rec.ProcessStart = &t
	}
	if err := rec.Save(); err != nil {
		stopGroup(pid, nil)
		return fmt.Errorf("ComfyUI started but its record could not be written, so it was stopped: %w", err)
	}
	return nil
}

func joinArgv(a []string) string {
	s := ""
	for i, x := range a {
		if i > 0 {
			s += " "
		}
		s += x
	}
	return s
}
