package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
)

func init() {
	registerCommand(command{Name: "providers", Synopsis: "installed providers and their configuration schemas", Run: runProviders})
}

// providerInfo is one provider as `providers` and `version` report it.
type providerInfo struct {
	Name         string                    `json:"name"`
	Version      string                    `json:"version"`
	Protocol     plugins.ProtocolVersion   `json:"protocol"`
	Capabilities []string                  `json:"capabilities"`
	Builtin      bool                      `json:"builtin"`
	Path         string                    `json:"path,omitempty"`
	ConfigSchema []plugins.AttributeSchema `json:"config_schema"`
	Error        string                    `json:"error,omitempty"`
}

// installedProviders describes the built-ins (in-process, nothing started) and every
// comfyhcl-provider-* binary discovery would find from dir (with `describe`, no
// handshake), sorted by name.
func installedProviders(ctx context.Context, dir string) []providerInfo {
	var out []providerInfo
	for _, name := range builtinNames() {
		md, _ := builtinProviders[name](hclog.NewNullLogger()).Metadata(ctx)
		out = append(out, providerInfo{Name: name, Version: md.Version, Builtin: true, Capabilities: md.Capabilities,
			Protocol: plugins.ProtocolVersion{Major: plugins.ProtocolMajor, Minor: md.ProtocolMinor}, ConfigSchema: md.ConfigSchema})
	}
	for _, inst := range plugins.ListInstalled(plugins.SearchDirs(dir), true) {
		if _, builtin := builtinProviders[inst.Type]; builtin {
			continue
		}
		info := providerInfo{Name: inst.Type, Path: inst.Path}
		d, diags := plugins.DescribeBinary(ctx, inst.Type, inst.Path)
		if diags.HasErrors() {
			info.Error = diags[0].Summary + ": " + diags[0].Detail
		} else {
			info.Version, info.Protocol, info.Capabilities, info.ConfigSchema = d.Version, d.Protocol, d.Capabilities, d.ConfigSchema
		}
		out = append(out, info)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func runProviders(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("providers", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	jsonOut := fs.Bool("json", false, "print JSON")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	dir := env.Dir
	if fs.Arg(0) != "" {
		dir, _ = filepath.Abs(fs.Arg(0))
	}
	infos, required := installedProviders(ctx, dir), requiredProvidersStatus(dir)
	if *jsonOut {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(map[string]any{"protocol": plugins.HostProtocol, "providers": infos, "required": required})
		return exitOK
	}
	for i, p := range infos {
		if i > 0 {
			fmt.Fprintln(env.Stdout)
		}
		writeProvider(env.Stdout, p)
	}
	writeRequired(env.Stdout, required)
	return exitOK
}

func writeProvider(w io.Writer, p providerInfo) {
	where := "built-in"
	if !p.Builtin {
		where = p.Path
	}
	if p.Error != "" {
		fmt.Fprintf(w, "%s  (%s)\n  unusable: %s\n", p.Name, where, p.Error)
		return
	}
	fmt.Fprintf(w, "%s %s  protocol %s  capabilities: %v  (%s)\n", p.Name, p.Version, p.Protocol, p.Capabilities, where)
	for _, a := range p.ConfigSchema {
		flags := ""
		if a.Required {
			flags += ", required"
		}
		if a.Sensitive {
			flags += ", sensitive"
		}
		fmt.Fprintf(w, "  %-16s %s%s\n", a.Name, a.Type, flags)
		if a.Description != "" {
			fmt.Fprintf(w, "  %-16s   %s\n", "", a.Description)
		}
	}
}
