package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/core/state"
)

func init() {
	registerCommand(command{Name: "force-unlock", Synopsis: "remove the state lock of a process that is gone or hung", Run: runForceUnlock})
}

func runForceUnlock(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("force-unlock", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, "usage: comfyhcl force-unlock LOCK_ID   (the ID is in the 'State locked' error)")
		return exitError
	}
	path := filepath.Join(env.Dir, state.FileName)
	if err := state.ForceUnlock(path, fs.Arg(0)); err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl force-unlock:", err)
		return exitError
	}
	fmt.Fprintln(env.Stdout, "The state lock was removed. Make sure the process that held it is not still writing.")
	return exitOK
}
