package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/comfyhcl/comfyhcl/lang"
)

func init() {
	registerCommand(command{Name: "graph", Synopsis: "print the dependency graph as DOT (for graphviz)", Run: runGraph})
}

func runGraph(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("graph", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	dir := env.Dir
	if fs.NArg() > 0 {
		dir = fs.Arg(0)
	}
	abs, _ := filepath.Abs(dir)
	cfg, diags := lang.LoadDir(abs)
	if diags.HasErrors() {
		return fail(env, diags, cfg.Files)
	}
	g, gdiags := cfg.DependencyGraph()
	if gdiags.HasErrors() {
		return fail(env, gdiags, cfg.Files)
	}
	fmt.Fprint(env.Stdout, dot(g))
	return exitOK
}

// dot renders the graph with edges from each block to what it needs, sorted so the
// output is stable for diffs.
func dot(g *lang.Graph) string {
	out := "digraph comfyhcl {\n  rankdir = \"RL\";\n  node [shape = box];\n"
	nodes := append([]string(nil), g.Nodes...)
	sort.Strings(nodes)
	for _, n := range nodes {
		out += fmt.Sprintf("  %q;\n", n)
	}
	for _, from := range nodes {
		edges := g.Edges[from]
		tos := make([]string, 0, len(edges))
		style := map[string]string{}
		for _, e := range edges {
			tos = append(tos, e.To)
			if e.Explicit {
				style[e.To] = " [style = dashed]"
			}
		}
		sort.Strings(tos)
		for i, to := range tos {
			if i > 0 && tos[i-1] == to {
				continue
			}
			out += fmt.Sprintf("  %q -> %q%s;\n", from, to, style[to])
		}
	}
	return out + "}\n"
}
