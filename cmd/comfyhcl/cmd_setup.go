package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/comfyhcl/comfyhcl/providers/local/launch"
)

func init() {
	registerCommand(command{Name: "setup", Synopsis: "install comfy-cli and ComfyUI, launch it in the background (idempotent)", Run: runSetup})
}

// setupJSON is setup's -json document: the result, and the error when it failed.
type setupJSON struct {
	*launch.Result
	Error string `json:"error,omitempty"`
}

func runSetup(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("setup", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var o launch.Options
	fs.StringVar(&o.Workspace, "workspace", launch.DefaultWorkspace(), "ComfyUI workspace (comfy-cli's --workspace)")
	fs.IntVar(&o.Port, "port", 8188, "port ComfyUI listens on")
	fs.StringVar(&o.Listen, "listen", "127.0.0.1", "address ComfyUI listens on (0.0.0.0 exposes it to the network)")
	gpu := fs.String("gpu", "auto", "ComfyUI `build`: auto (what the hardware report finds), nvidia, amd, m-series, intel-arc or cpu")
	fs.DurationVar(&o.Timeout, "timeout", 10*time.Minute, "how long to wait for the launched server to answer")
	asJSON := fs.Bool("json", false, "print the result as JSON")
	stop := fs.Bool("stop", false, "stop the server setup launched from this workspace, and forget it")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "comfyhcl setup: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	if *stop {
		return stopSetup(env, o.Workspace)
	}
	o.GPU = *gpu
	gpuNote := ""
	if o.GPU == "auto" {
		facts := host.Collect(ctx, hardwareOptions(""))
		o.GPU = launch.GPUForHost(facts)
		gpuNote = "no usable GPU found (see `comfyhcl hardware`)"
		if g := facts.BestGPU(); g != nil && o.GPU != "cpu" {
			gpuNote = g.Name
		}
	}
	if !*asJSON {
		o.Progress = func(s launch.Step) { fmt.Fprintf(env.Stdout, "%-10s %s: %s\n", s.Name, s.Status, s.Detail) }
		if gpuNote != "" {
			fmt.Fprintf(env.Stdout, "%-10s auto: %s build for %s\n", "gpu", o.GPU, gpuNote)
		}
		if !setupLoopback(o.Listen) {
			fmt.Fprintf(env.Stderr, "comfyhcl setup: warning: -listen %s exposes ComfyUI to the network; it has no authentication, so anyone who reaches the port can run jobs and read outputs\n", o.Listen)
		}
	}
	res, err := launch.Setup(ctx, o)
	code := exitOK
	switch {
	case errors.Is(err, context.Canceled) || (err != nil && ctx.Err() != nil):
		code = exitInterrupted
		err = errors.New("interrupted: stopped whatever setup had started; nothing is left running and no record was written")
	case err != nil:
		code = exitError
	}
	if *asJSON {
		doc := setupJSON{Result: res}
		if err != nil {
			doc.Error = err.Error()
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(doc)
		return code
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl setup:", err)
		return code
	}
	fmt.Fprintf(env.Stdout, "\nComfyUI answers at %s\n", res.URL)
	if rec := res.Record; rec != nil {
		fmt.Fprintf(env.Stdout, "  log:    %s\n  record: %s\n  stop:   comfyhcl setup -stop -workspace %s\n", rec.LogPath, res.RecordPath, rec.Workspace)
	}
	fmt.Fprintf(env.Stdout, "Check it with: comfyhcl health -url %s\n", res.URL)
	return code
}

// stopSetup stops the server recorded in the workspace.
func stopSetup(env *Env, workspace string) int {
	rec, err := launch.LoadRecord(workspace)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl setup -stop:", err)
		return exitError
	}
	if rec == nil {
		fmt.Fprintf(env.Stdout, "nothing to stop: no server launched by comfyhcl is recorded in %s\n", workspace)
		return exitOK
	}
	alive := rec.Alive()
	if err := launch.Stop(rec); err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl setup -stop:", err)
		return exitError
	}
	if alive {
		fmt.Fprintf(env.Stdout, "stopped ComfyUI (pid %d) at %s\n", rec.PID, rec.URL)
	} else {
		fmt.Fprintf(env.Stdout, "ComfyUI (pid %d) had already exited; record removed\n", rec.PID)
	}
	return exitOK
}

// setupLoopback reports whether every address in listen is a loopback one.
func setupLoopback(listen string) bool {
	if strings.TrimSpace(listen) == "" {
		return true // launch defaults it to 127.0.0.1
	}
	for _, h := range strings.Split(listen, ",") {
		h = strings.Trim(strings.TrimSpace(h), "[]")
		if ip := net.ParseIP(h); h != "localhost" && (ip == nil || !ip.IsLoopback()) {
			return false
		}
	}
	return true
}
