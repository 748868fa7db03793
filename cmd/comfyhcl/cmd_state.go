package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/comfyhcl/comfyhcl/core/state"
)

func init() {
	registerCommand(command{Name: "state", Synopsis: "inspect and edit the state: list, show ADDR, rm ADDR...", Run: runState})
}

func runState(_ context.Context, env *Env, args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(env.Stderr, "usage: comfyhcl state list | show ADDRESS [-json] | rm ADDRESS... [-lock-timeout=D]")
		return exitError
	}
	fs := flag.NewFlagSet("state "+args[0], flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	jsonOut := fs.Bool("json", false, "machine-readable output")
	lockTimeout := fs.Duration("lock-timeout", 0, "how long to wait for the state lock")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError
	}
	path := filepath.Join(env.Dir, state.FileName)
	st, err := state.Load(path)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl state:", err)
		return exitError
	}
	switch args[0] {
	case "list":
		for _, addr := range stateAddresses(st) {
			fmt.Fprintln(env.Stdout, addr)
		}
		return exitOK
	case "show":
		return stateShow(env, st, fs.Args(), *jsonOut)
	case "rm":
		return stateRemove(env, path, fs.Args(), *lockTimeout)
	}
	fmt.Fprintf(env.Stderr, "comfyhcl state: unknown subcommand %q (list, show, rm)\n", args[0])
	return exitError
}

// stateAddresses lists every managed item: models, node packs, render instances.
func stateAddresses(st *state.State) []string {
	var out []string
	for _, paddr := range stateKeys(st.Providers) {
		ps := st.Providers[paddr]
		for _, n := range stateKeys(ps.Models) {
			out = append(out, "model."+n)
		}
		for _, n := range stateKeys(ps.Nodes) {
			out = append(out, "node."+n)
		}
	}
	return append(out, st.RenderAddresses()...)
}

func stateShow(env *Env, st *state.State, addrs []string, jsonOut bool) int {
	if len(addrs) != 1 {
		fmt.Fprintln(env.Stderr, "usage: comfyhcl state show ADDRESS   (addresses: comfyhcl state list)")
		return exitError
	}
	item, provider := lookupState(st, addrs[0])
	if item == nil {
		fmt.Fprintf(env.Stderr, "comfyhcl state show: no %s in the state (see comfyhcl state list)\n", addrs[0])
		return exitError
	}
	if jsonOut {
		b, _ := json.MarshalIndent(map[string]any{"address": addrs[0], "provider": provider, "value": item}, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return exitOK
	}
	fmt.Fprintf(env.Stdout, "# %s (provider %s)\n", addrs[0], provider)
	switch v := item.(type) {
	case *state.Model:
		fmt.Fprintf(env.Stdout, "folder  = %s\nfile    = %s\nsha256  = %s\nsize    = %d\nsource  = %s\nadopted = %t\n", v.Folder, v.File, v.SHA256, v.Size, v.Source, v.Adopted)
	case *state.NodePack:
		fmt.Fprintf(env.Stdout, "registry = %s\nversion  = %s\ngit      = %s\ncommit   = %s\n", v.Registry, v.Version, v.Git, v.Commit)
	case *state.RenderInstance:
		fmt.Fprintf(env.Stdout, "status      = %s\nprompt_id   = %s\ninputs_hash = %s\noutput_dir  = %s\n", v.Status, v.PromptID, v.InputsHash, v.OutputDir)
		if !v.Finished.IsZero() {
			fmt.Fprintf(env.Stdout, "finished    = %s (took %s)\n", v.Finished.Format(time.RFC3339), v.Finished.Sub(v.Submitted).Round(time.Millisecond))
		}
		for _, o := range v.Outputs {
			fmt.Fprintf(env.Stdout, "output      = %s  (%d bytes, sha256 %s)\n", o.Path, o.Size, o.SHA256)
		}
	}
	return exitOK
}

func lookupState(st *state.State, addr string) (any, string) {
	if r, p := st.FindRender(addr); r != nil {
		return r, p
	}
	kind, name, _ := strings.Cut(addr, ".")
	for paddr, ps := range st.Providers {
		if m, ok := ps.Models[name]; ok && kind == "model" {
			return m, paddr
		}
		if n, ok := ps.Nodes[name]; ok && kind == "node" {
			return n, paddr
		}
	}
	return nil, ""
}

func stateRemove(env *Env, path string, addrs []string, timeout time.Duration) int {
	if len(addrs) == 0 {
		fmt.Fprintln(env.Stderr, "usage: comfyhcl state rm ADDRESS...")
		return exitError
	}
	lock, err := state.AcquireLock(path, "state rm", timeout)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl state rm:", err)
		return exitError
	}
	defer lock.Unlock()
	st, err := state.Load(path)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl state rm:", err)
		return exitError
	}
	for _, addr := range addrs {
		if item, _ := lookupState(st, addr); item == nil {
			fmt.Fprintf(env.Stderr, "comfyhcl state rm: no %s in the state; nothing was removed\n", addr)
			return exitError
		}
	}
	for _, addr := range addrs {
		kind, name, _ := strings.Cut(addr, ".")
		for _, ps := range st.Providers {
			delete(ps.Renders, addr)
			if kind == "model" {
				delete(ps.Models, name)
			}
			if kind == "node" {
				delete(ps.Nodes, name)
			}
		}
		fmt.Fprintf(env.Stdout, "Removed %s from the state (its files stay where they are).\n", addr)
	}
	if err := state.Save(path, st); err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl state rm:", err)
		return exitError
	}
	return exitOK
}

func stateKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
