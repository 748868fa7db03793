package workflow

import (
	"fmt"
	"strings"
)

// Role of a text encoder, decided by tracing.
const (
	rolePositive = "positive"
	roleNegative = "negative"
)

// CycleError reports a graph whose links form a loop (ComfyUI rejects these too).
type CycleError struct {
	Cycle []string // node ids, the first repeated at the end
}

func (e *CycleError) Error() string {
	return fmt.Sprintf("the workflow's links form a cycle: %s", strings.Join(e.Cycle, " -> "))
}

// findCycle returns a cycle of links, or nil. Iterative, so deep graphs cannot blow the
// stack; dangling links are ignored here (validation reports them).
func findCycle(g Graph, ids []string) []string {
	const (
		white = iota
		grey
		black
	)
	color := make(map[string]int, len(g))
	type frame struct {
		id   string
		deps []string
		next int
	}
	for _, start := range ids {
		if color[start] != white {
			continue
		}
		stack := []frame{{id: start, deps: linkSources(g[start])}}
		color[start] = grey
		for len(stack) > 0 {
			top := &stack[len(stack)-1]
			if top.next >= len(top.deps) {
				color[top.id] = black
				stack = stack[:len(stack)-1]
				continue
			}
			dep := top.deps[top.next]
			top.next++
			if _, ok := g[dep]; !ok {
				continue
			}
			switch color[dep] {
			case grey:
				var cycle []string
				for i := range stack {
					if stack[i].id == dep {
						for _, f := range stack[i:] {
							cycle = append(cycle, f.id)
						}
					}
				}
				return append(cycle, dep)
			case white:
				color[dep] = grey
				stack = append(stack, frame{id: dep, deps: linkSources(g[dep])})
			}
		}
	}
	return nil
}

func linkSources(n *Node) []string {
	var ids []string
	for _, name := range sortedKeys(n.Inputs) {
		if l, ok := n.Inputs[name].(Link); ok {
			ids = append(ids, l.NodeID)
		}
	}
	return ids
}

// traceRoles walks every sampler's or guider's conditioning inputs back to the text
// encoders behind them, through any pass-through node, and returns each reached
// encoder's role. An encoder reached as both is positive. Visited sets keep it finite
// even on a cyclic graph.
func traceRoles(g Graph, cat *ObjectInfo, ids []string) map[string]string {
	roles := map[string]string{}
	for _, id := range ids {
		n := g[id]
		for _, input := range sortedKeys(n.Inputs) {
			link, ok := n.Inputs[input].(Link)
			if !ok {
				continue
			}
			role := condRole(n.ClassType, input)
			if role == "" {
				continue
			}
			visited := map[Link]bool{}
			traceBack(g, cat, link, role, roles, visited)
		}
	}
	return roles
}

// condRole is the role a sampler/guider input starts a trace with, or "".
func condRole(class, input string) string {
	if r := ruleFor(class, input); r != nil && r.Kind == KindCond {
		return r.Role
	}
	// Unknown samplers and guiders of custom packs: positive/negative by name.
	lc := strings.ToLower(class)
	if strings.Contains(lc, "sampler") || strings.Contains(lc, "guider") {
		if input == "positive" || input == "negative" {
			return input
		}
	}
	return ""
}

func traceBack(g Graph, cat *ObjectInfo, link Link, role string, roles map[string]string, visited map[Link]bool) {
	stack := []Link{link}
	for len(stack) > 0 {
		l := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if visited[l] {
			continue
		}
		visited[l] = true
		n := g[l.NodeID]
		if n == nil {
			continue
		}
		if isEncoder(n.ClassType) {
			if roles[l.NodeID] != rolePositive {
				roles[l.NodeID] = role
			}
			continue
		}
		stack = append(stack, passThroughInputs(n, cat, l.Output)...)
	}
}

// passThroughInputs returns the links a conditioning value at output out of n came
// from. A node whose outputs are named like its inputs (ControlNetApplyAdvanced,
// WanImageToVideo: positive -> positive) passes each through separately.
func passThroughInputs(n *Node, cat *ObjectInfo, out int) []Link {
	for _, input := range sortedKeys(n.Inputs) {
		if r := ruleFor(n.ClassType, input); r != nil && r.Kind == KindCondStop {
			return nil
		}
	}
	def := cat.Class(n.ClassType)
	var outName string
	if def != nil && out < len(def.Outputs) {
		outName = strings.ToLower(def.Outputs[out].Name)
	} else if _, hasPos := n.Inputs["positive"]; hasPos {
		if _, hasNeg := n.Inputs["negative"]; hasNeg && out <= 1 {
			outName = []string{"positive", "negative"}[out]
		}
	}
	var all, matched []Link
	for _, input := range sortedKeys(n.Inputs) {
		l, ok := n.Inputs[input].(Link)
		if !ok {
			continue
		}
		if d := def.Input(input); d != nil && d.Type != "CONDITIONING" {
			continue
		}
		all = append(all, l)
		in := strings.ToLower(input)
		if outName != "" && (in == outName || strings.HasPrefix(in, outName+"_") || strings.HasPrefix(outName, in+"_")) {
			matched = append(matched, l)
		}
	}
	if len(matched) > 0 {
		return matched
	}
	return all
}

// fallbackRole guesses an untraced encoder's role from its title.
func fallbackRole(n *Node) string {
	t := strings.ToLower(n.Title())
	if strings.Contains(t, "negative") || strings.Contains(t, "neg ") || strings.HasSuffix(t, "neg") || strings.Contains(t, "(neg") {
		return roleNegative
	}
	return rolePositive
}
