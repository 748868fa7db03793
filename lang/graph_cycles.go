package lang

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// cycles finds every strongly connected component with more than one node, or a node
// depending on itself, and reports each as one "Dependency cycle" error that spells the
// cycle out: local.a -> local.b -> local.a.
func (g *Graph) cycles() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, scc := range g.components() {
		if len(scc) == 1 && !g.dependsOn(scc[0], scc[0]) {
			continue
		}
		path := g.cyclePath(scc)
		first := g.edge(path[0], path[1])
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Dependency cycle",
			Detail:   fmt.Sprintf("These blocks depend on each other in a cycle, so none of them can be evaluated first: %s. Break the cycle by removing one of the references.", strings.Join(path, " -> ")),
			Subject:  first.Range.Ptr(),
		})
	}
	return diags
}

func (g *Graph) dependsOn(from, to string) bool {
	for _, e := range g.Edges[from] {
		if e.To == to {
			return true
		}
	}
	return false
}

func (g *Graph) edge(from, to string) Edge {
	for _, e := range g.Edges[from] {
		if e.To == to {
			return e
		}
	}
	return Edge{}
}

// cyclePath walks one cycle inside the component, starting from its smallest address so
// the message is stable, and closes it: [a, b, a].
func (g *Graph) cyclePath(scc []string) []string {
	in := map[string]bool{}
	for _, n := range scc {
		in[n] = true
	}
	start := scc[0]
	path := []string{start}
	seen := map[string]int{start: 0}
	cur := start
	for {
		next := ""
		for _, e := range g.Edges[cur] {
			if in[e.To] {
				next = e.To
				break
			}
		}
		if i, ok := seen[next]; ok {
			return append(path[i:], next)
		}
		seen[next] = len(path)
		path = append(path, next)
		cur = next
	}
}

// components is Tarjan's algorithm; each component's nodes are sorted, and components
// are sorted by their first node.
func (g *Graph) components() [][]string {
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	var stack []string
	var out [][]string
	next := 0
	var visit func(v string)
	visit = func(v string) {
		index[v], low[v] = next, next
		next++
		stack = append(stack, v)
		onStack[v] = true
		for _, e := range g.Edges[v] {
			if _, known := g.Edges[e.To]; !known {
				continue // a provider without a block, or an undeclared address
			}
			if _, ok := index[e.To]; !ok {
				visit(e.To)
				low[v] = min(low[v], low[e.To])
			} else if onStack[e.To] {
				low[v] = min(low[v], index[e.To])
			}
		}
		if low[v] == index[v] {
			var scc []string
			for {
				w := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[w] = false
				scc = append(scc, w)
				if w == v {
					break
				}
			}
			sort.Strings(scc)
			out = append(out, scc)
		}
	}
	for _, n := range g.Nodes {
		if _, ok := index[n]; !ok {
			visit(n)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i][0] < out[j][0] })
	return out
}

// Order returns the addresses so that each comes after everything it depends on (ties in
// address order). Nodes in a cycle are left out.
func (g *Graph) Order() []string {
	var order []string
	cyclic := map[string]bool{}
	for _, scc := range g.components() {
		if len(scc) > 1 || g.dependsOn(scc[0], scc[0]) {
			for _, n := range scc {
				cyclic[n] = true
			}
		}
	}
	state := map[string]int{} // 1 in progress or placed, 2 cannot be placed
	var visit func(n string) bool
	visit = func(n string) bool {
		switch {
		case cyclic[n] || state[n] == 2:
			return false
		case state[n] == 1:
			return true
		}
		state[n] = 1
		ok := true
		for _, e := range g.Edges[n] {
			if _, known := g.Edges[e.To]; known && !visit(e.To) {
				ok = false
			}
		}
		if ok {
			order = append(order, n)
		} else {
			state[n] = 2
		}
		return ok
	}
	for _, n := range g.Nodes {
		visit(n)
	}
	return order
}
