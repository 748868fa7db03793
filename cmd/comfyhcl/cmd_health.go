package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/comfyhcl/comfyhcl/providers/local"
	"github.com/comfyhcl/comfyhcl/providers/local/launch"
)

func init() {
	registerCommand(command{Name: "health", Synopsis: "checklist of comfy-cli, server, nodes, checkpoints, queue; -smoke runs a self-cancelling test job", Run: runHealth})
}

// Check statuses.
const (
	healthOK   = "ok"
	healthWarn = "warn"
	healthFail = "fail"
	healthSkip = "skip"
)

// healthCheck is one line of the checklist; Fix says what to do when it is not ok.
type healthCheck struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
	Fix    string `json:"fix,omitempty"`
}

type healthReport struct {
	OK     bool          `json:"ok"`
	Checks []healthCheck `json:"checks"`
}

func (r *healthReport) add(name, status, detail, fix string) {
	r.Checks = append(r.Checks, healthCheck{Name: name, Status: status, Detail: detail, Fix: fix})
}

func runHealth(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("health", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var sf serverFlags
	sf.register(fs)
	smoke := fs.Bool("smoke", false, "also submit a tiny job and cancel it as soon as it starts (burns no compute); reports the round trip")
	asJSON := fs.Bool("json", false, "print the checklist as JSON")
	workspace := fs.String("workspace", launch.DefaultWorkspace(), "`dir`ectory of a server that comfyhcl setup launched, for a better fix when it is down")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "comfyhcl health: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	rep := &healthReport{}
	if cli, ok := launch.FindCLI(nil); ok && cli.Via == "found" {
		rep.add("comfy-cli", healthOK, cli.Command[0], "")
	} else if ok {
		rep.add("comfy-cli", healthOK, "not installed, runnable as `"+strings.Join(cli.Command, " ")+"`", "")
	} else {
		rep.add("comfy-cli", healthWarn, "not installed (needed only to install or launch a local ComfyUI)",
			"run `comfyhcl setup`, or `pipx install comfy-cli`")
	}
	conn, diags := connectServer(ctx, env, &sf)
	if diags.HasErrors() {
		rep.add("server", healthFail, healthHCLText(diags), "start ComfyUI (`comfyhcl setup`), or point -url at a running server")
		healthSkipRest(rep, *smoke)
	} else {
		defer conn.close()
		healthServerChecks(ctx, conn, healthServerLabel(env, &sf), rep, *smoke)
	}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	healthLaunchHint(rep, *workspace, sf.url)
	rep.OK = true
	for _, c := range rep.Checks {
		if c.Status == healthFail {
			rep.OK = false
		}
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		_ = enc.Encode(rep)
	} else {
		writeHealth(env.Stdout, rep)
	}
	if !rep.OK {
		return exitError
	}
	return exitOK
}

// healthLaunchHint improves the fix of a failed server check when `comfyhcl setup`
// launched a server for that URL from the workspace.
func healthLaunchHint(rep *healthReport, workspace, url string) {
	rec, err := launch.LoadRecord(workspace)
	if err != nil || rec == nil || (url != "" && strings.TrimRight(url, "/") != rec.URL) {
		return
	}
	for i, c := range rep.Checks {
		if c.Name != "server" || c.Status != healthFail {
			continue
		}
		state := "its process is gone"
		if rec.Alive() {
			state = fmt.Sprintf("its process (pid %d) still runs but does not answer", rec.PID)
		}
		rep.Checks[i].Fix = fmt.Sprintf("`comfyhcl setup` launched ComfyUI here from %s and %s: read the end of %s, then `comfyhcl setup -workspace %s` relaunches it",
			rec.Workspace, state, rec.LogPath, rec.Workspace)
	}
}

func healthServerLabel(env *Env, sf *serverFlags) string {
	switch {
	case sf.url != "":
		return sf.url
	case sf.provider != "":
		return "the " + sf.provider + " provider's server"
	case hasConfig(env.Dir):
		return "the server configured in " + env.Dir
	}
	return local.DefaultURL + " (the default; -url picks another)"
}

func healthSkipRest(rep *healthReport, smoke bool) {
	names := []string{"object_info", "checkpoints", "queue"}
	if smoke {
		names = append(names, "smoke")
	}
	for _, n := range names {
		rep.add(n, healthSkip, "server unreachable", "")
	}
}

func writeHealth(w io.Writer, rep *healthReport) {
	for _, c := range rep.Checks {
		fmt.Fprintf(w, "%-5s %-12s %s\n", c.Status, c.Name, c.Detail)
		if c.Fix != "" && c.Status != healthOK {
			fmt.Fprintf(w, "      %-12s fix: %s\n", "", c.Fix)
		}
	}
	if rep.OK {
		fmt.Fprintln(w, "\nhealthy")
	} else {
		fmt.Fprintln(w, "\nunhealthy: fix the failed checks above")
	}
}
