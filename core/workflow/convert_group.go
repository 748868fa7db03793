package workflow

import (
	"encoding/json"
	"strconv"
	"strings"
)

// Legacy group nodes (extra.groupNodes, types "workflow>Name" or "workflow/Name") are
// expanded like subgraphs: each instance becomes a synthetic subgraph whose inner nodes
// get ids "<instance>:<index>" and take their widget values, in order, from the
// instance's widgets_values.

type groupDef struct {
	nodes    []*uiNode
	links    [][6]any // [origin index|null, origin slot, target index, target slot, _, type]
	external map[[2]int]bool
	wvCounts []int
}

func (c *converter) loadGroups(ui map[string]any) {
	extra, _ := ui["extra"].(map[string]any)
	groups, _ := extra["groupNodes"].(map[string]any)
	for name, raw := range groups {
		m, _ := raw.(map[string]any)
		if m == nil {
			continue
		}
		gd := &groupDef{external: map[[2]int]bool{}}
		for i, rn := range listOf(m["nodes"]) {
			nm, _ := rn.(map[string]any)
			if nm == nil {
				continue
			}
			nm2 := map[string]any{}
			for k, v := range nm {
				nm2[k] = v
			}
			nm2["id"] = idNumber(i)
			if idx, ok := intOf(nm["index"]); ok {
				nm2["id"] = idNumber(idx)
			}
			n, err := parseUINode(nm2)
			if err != nil {
				continue
			}
			gd.nodes = append(gd.nodes, n)
			gd.wvCounts = append(gd.wvCounts, len(listOf(nm["widgets_values"])))
		}
		for _, rl := range listOf(m["links"]) {
			l := listOf(rl)
			if len(l) < 4 {
				continue
			}
			var arr [6]any
			copy(arr[:], l)
			gd.links = append(gd.links, arr)
		}
		for _, re := range listOf(m["external"]) {
			e := listOf(re)
			if len(e) < 2 {
				continue
			}
			var idx int
			if nm, ok := e[0].(map[string]any); ok {
				idx, _ = intOf(nm["index"])
			} else {
				idx, _ = intOf(e[0])
			}
			slot, _ := intOf(e[1])
			gd.external[[2]int{idx, slot}] = true
		}
		c.groups["workflow>"+name] = gd
		c.groups["workflow/"+name] = gd
	}
}

func idNumber(i int) any { return json.Number(strconv.Itoa(i)) }

// isContainer reports whether n expands into inner nodes (a subgraph or group node).
func (c *converter) isContainer(n *uiNode) bool {
	if _, ok := c.defs[n.Type]; ok {
		return true
	}
	_, ok := c.groups[n.Type]
	return ok
}

func isGroupType(t string) bool {
	return strings.HasPrefix(t, "workflow>") || strings.HasPrefix(t, "workflow/")
}

// groupGraph builds the synthetic subgraph of one group-node instance.
func (gd *groupDef) graph(inst *uiNode) *uiGraph {
	g := &uiGraph{nodes: map[string]*uiNode{}, links: map[string]*uiLink{}}
	vals := listOf(inst.Widgets)
	pos := 0
	for i, n := range gd.nodes {
		cp := *n
		cp.Inputs = append([]uiInput(nil), n.Inputs...)
		for j := range cp.Inputs {
			cp.Inputs[j].Link = ""
		}
		cnt := gd.wvCounts[i]
		if pos+cnt <= len(vals) {
			cp.Widgets = append([]any(nil), vals[pos:pos+cnt]...)
		}
		pos += cnt
		g.nodes[cp.ID] = &cp
		g.order = append(g.order, cp.ID)
	}
	internalOut := map[[2]string]bool{}
	for i, l := range gd.links {
		origin, ok := idString(l[0])
		if !ok {
			continue // an external input, wired below
		}
		oslot, _ := intOf(l[1])
		target, _ := idString(l[2])
		tslot, _ := intOf(l[3])
		id := "g" + strconv.Itoa(i)
		g.links[id] = &uiLink{ID: id, Origin: origin, OriginSlot: oslot, Target: target, TargetSlot: tslot, Type: typeString(l[5])}
		if tn := g.nodes[target]; tn != nil && tslot < len(tn.Inputs) {
			tn.Inputs[tslot].Link = id
		}
		internalOut[[2]string{origin, strconv.Itoa(oslot)}] = true
	}
	for _, id := range g.order {
		n := g.nodes[id]
		for j := range n.Inputs {
			if n.Inputs[j].Link != "" || n.Inputs[j].Widget != "" {
				continue
			}
			k := len(g.inputs)
			lid := "in" + strconv.Itoa(k)
			g.inputs = append(g.inputs, uiSubIO{Name: n.Inputs[j].Name, Type: n.Inputs[j].Type, LinkIDs: []string{lid}})
			g.links[lid] = &uiLink{ID: lid, Origin: subgraphInputNode, OriginSlot: k, Target: id, TargetSlot: j, Type: n.Inputs[j].Type}
			n.Inputs[j].Link = lid
		}
	}
	for _, id := range g.order {
		n := g.nodes[id]
		idx, _ := strconv.Atoi(id)
		for j, o := range n.Outputs {
			if internalOut[[2]string{id, strconv.Itoa(j)}] && !gd.external[[2]int{idx, j}] {
				continue
			}
			k := len(g.outputs)
			lid := "out" + strconv.Itoa(k)
			g.outputs = append(g.outputs, uiSubIO{Name: o.Name, Type: o.Type, LinkIDs: []string{lid}})
			g.links[lid] = &uiLink{ID: lid, Origin: id, OriginSlot: j, Target: subgraphOutputNode, TargetSlot: k, Type: o.Type}
		}
	}
	return g
}
