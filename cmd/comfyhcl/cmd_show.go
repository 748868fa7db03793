package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/core/planfile"
	"github.com/comfyhcl/comfyhcl/core/state"
)

func init() {
	registerCommand(command{Name: "show", Synopsis: "show a saved plan or the state, human or -json", Run: runShow})
}

func runShow(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("show", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	jsonOut := fs.Bool("json", false, "machine-readable output")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		return showPlanFile(env, fs.Arg(0), *jsonOut)
	}
	st, err := state.Load(filepath.Join(env.Dir, state.FileName))
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl show:", err)
		return exitError
	}
	if *jsonOut {
		b, _ := json.MarshalIndent(st, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return exitOK
	}
	addrs := stateAddresses(st)
	if len(addrs) == 0 {
		fmt.Fprintln(env.Stdout, "The state is empty: nothing has been applied in this directory yet.")
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "State serial %d, lineage %s\n\n", st.Serial, st.Lineage)
	for _, addr := range addrs {
		if code := stateShow(env, st, []string{addr}, false); code != exitOK {
			return code
		}
		fmt.Fprintln(env.Stdout)
	}
	return exitOK
}

func showPlanFile(env *Env, path string, jsonOut bool) int {
	f, err := planfile.Read(path)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl show:", err)
		return exitError
	}
	if jsonOut {
		raw, _ := os.ReadFile(path)
		var pretty any
		json.Unmarshal(raw, &pretty)
		b, _ := json.MarshalIndent(pretty, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "Saved plan %s (made by comfyhcl %s against state serial %d)\n\n", path, f.ToolVersion, f.PriorSerial)
	n := 0
	for _, ch := range f.Changes {
		if ch.Action == "no-op" {
			continue
		}
		n++
		fmt.Fprintf(env.Stdout, "  %-3s %s  (%s)\n", planSymbolOf(ch.Action), ch.Address, ch.Reason)
	}
	if n == 0 {
		fmt.Fprintln(env.Stdout, "No changes.")
	}
	return exitOK
}
