package main

import (
	"context"
	"fmt"
	"os"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/cloud"
	"github.com/comfyhcl/comfyhcl/providers/local"
	"github.com/hashicorp/go-hclog"
)

func init() {
	registerCommand(command{Name: "internal-provider", Hidden: true,
		Synopsis: "run a built-in provider as a plugin subprocess (started by comfyhcl itself)",
		Run:      runInternalProvider})
}

// builtinProviders are the providers this binary serves when re-executed.
var builtinProviders = map[string]func(log hclog.Logger) plugins.Provider{
	"local": func(log hclog.Logger) plugins.Provider { return local.New(version, log) },
	"cloud": func(log hclog.Logger) plugins.Provider { return cloud.New(version, log) },
}

func runInternalProvider(_ context.Context, env *Env, args []string) int {
	if len(args) != 1 {
		fmt.Fprintln(env.Stderr, "usage: comfyhcl internal-provider NAME")
		return exitError
	}
	newProvider, ok := builtinProviders[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "comfyhcl: no built-in provider %q\n", args[0])
		return exitError
	}
	log := hclog.New(&hclog.LoggerOptions{Name: args[0], Output: os.Stderr, JSONFormat: true, Level: hclog.Info})
	plugins.Serve(newProvider(log), plugins.ServeOptions{Logger: log})
	return exitOK
}
