package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() {
	registerCommand(command{Name: "version", Synopsis: "versions of comfyhcl, its provider protocol and the providers", Run: runVersion})
}

func runVersion(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("version", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	jsonOut := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	infos := installedProviders(ctx, env.Dir)
	if *jsonOut {
		provs := map[string]string{}
		for _, p := range infos {
			provs[p.Name] = p.Version
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"version": version, "protocol": plugins.HostProtocol, "providers": provs})
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "comfyhcl %s\nprovider protocol %s\n", version, plugins.HostProtocol)
	for _, p := range infos {
		switch {
		case p.Error != "":
			fmt.Fprintf(env.Stdout, "+ provider %s (unusable: run `comfyhcl providers` for why)\n", p.Name)
		case p.Builtin:
			fmt.Fprintf(env.Stdout, "+ provider %s %s (built-in)\n", p.Name, p.Version)
		default:
			fmt.Fprintf(env.Stdout, "+ provider %s %s (protocol %s, %s)\n", p.Name, p.Version, p.Protocol, p.Path)
		}
	}
	return exitOK
}
