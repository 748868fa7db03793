package comfysim

import (
	"encoding/json"
	"fmt"
	"sort"
	"sync"
)

// execList is ExecutionList: pending nodes (insertion ordered), block
// counts, and ComfyUI's ux_friendly_pick_node choice.
type execList struct {
	r        *run
	pending  []string
	inPend   map[string]bool
	blocks   map[string]int
	blocking map[string]map[string]bool
}

func newExecList(r *run) *execList {
	return &execList{r: r, inPend: map[string]bool{}, blocks: map[string]int{}, blocking: map[string]map[string]bool{}}
}

func (el *execList) cached(id string) bool {
	_, ok := el.r.snap[id]
	return ok
}

// addNode mirrors ExecutionList.add_node: a LIFO walk over uncached inputs,
// then strong links.
func (el *execList) addNode(start string) {
	stack := []string{start}
	type link struct{ from, to string }
	var links []link
	for len(stack) > 0 {
		id := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if el.inPend[id] {
			continue
		}
		el.inPend[id] = true
		el.pending = append(el.pending, id)
		el.blocking[id] = map[string]bool{}
		for _, l := range el.r.links(id) {
			if !el.cached(l.from) {
				stack = append(stack, l.from)
			}
			links = append(links, link{l.from, id})
		}
	}
	for _, l := range links {
		if el.cached(l.from) {
			continue
		}
		el.addNode(l.from)
		if !el.blocking[l.from][l.to] {
			el.blocking[l.from][l.to] = true
			el.blocks[l.to]++
		}
	}
}

func (el *execList) empty() bool { return len(el.pending) == 0 }

func (el *execList) isOutput(id string) bool {
	e, ok := el.r.s.entry(classOf(el.r.item.prompt, id))
	return ok && isOutputNode(e)
}

func (el *execList) stage() string {
	var avail []string
	for _, id := range el.pending {
		if el.blocks[id] == 0 {
			avail = append(avail, id)
		}
	}
	if len(avail) == 0 { // cannot happen for a validated DAG
		return el.pending[0]
	}
	for _, id := range avail {
		if el.isOutput(id) {
			return id
		}
	}
	for _, id := range avail {
		for b := range el.blocking[id] {
			if el.isOutput(b) {
				return id
			}
		}
	}
	for _, id := range avail {
		for b := range el.blocking[id] {
			for b1 := range el.blocking[b] {
				if el.isOutput(b1) {
					return id
				}
			}
		}
	}
	return avail[0]
}

func (el *execList) complete(id string) {
	for i, p := range el.pending {
		if p == id {
			el.pending = append(el.pending[:i:i], el.pending[i+1:]...)
			break
		}
	}
	delete(el.inPend, id)
	for b := range el.blocking[id] {
		el.blocks[b]--
	}
}

type nodeLink struct {
	input, from string
	slot        int
}

// links lists a node's linked inputs in the class's input order.
func (r *run) links(id string) []nodeLink {
	node := nodeOf(r.item.prompt, id)
	inputs, _ := node["inputs"].(map[string]any)
	e, _ := r.s.entry(classOf(r.item.prompt, id))
	var out []nodeLink
	for _, in := range classInputs(e) {
		if l, ok := inputs[in.name].([]any); ok && len(l) == 2 {
			from, _ := l[0].(string)
			var slot int
			if n, ok := l[1].(json.Number); ok {
				fmt.Sscan(string(n), &slot)
			}
			out = append(out, nodeLink{in.name, from, slot})
		}
	}
	return out
}

// sig is the cache key: class, literal inputs, upstream keys, IS_CHANGED.
func (r *run) sig(id string, seen map[string]bool) uint64 {
	if v, ok := r.sigs[id]; ok {
		return v
	}
	if seen[id] {
		return 0
	}
	seen[id] = true
	node := nodeOf(r.item.prompt, id)
	class := classOf(r.item.prompt, id)
	inputs, _ := node["inputs"].(map[string]any)
	names := make([]string, 0, len(inputs))
	for k := range inputs {
		names = append(names, k)
	}
	sort.Strings(names)
	h := hashString(class)
	for _, k := range names {
		v := inputs[k]
		if l, ok := v.([]any); ok && len(l) == 2 {
			from, _ := l[0].(string)
			h = mix(h, mix(hashString(k+"=link"), mix(r.sig(from, seen), hashString(fmt.Sprint(l[1])))))
			continue
		}
		b, _ := json.Marshal(v)
		h = mix(h, hashString(k+"="+string(b)))
	}
	if impl := implFor(class); impl.isChanged != nil {
		h = mix(h, hashString(impl.isChanged(r.s, inputs)))
	}
	r.sigs[id] = h
	return h
}

// nodeCache holds outputs and UI of the nodes of the last prompt(s).
type cachedNode struct {
	values []any
	ui     *omap
}

type nodeCache struct {
	mu sync.Mutex
	m  map[uint64]cachedNode
}

func newNodeCache() *nodeCache { return &nodeCache{m: map[uint64]cachedNode{}} }

func (c *nodeCache) get(k uint64) (cachedNode, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	v, ok := c.m[k]
	return v, ok
}

func (c *nodeCache) put(k uint64, v cachedNode) {
	c.mu.Lock()
	c.m[k] = v
	c.mu.Unlock()
}

// prune keeps only the current prompt's entries (classic cache clean_unused).
func (c *nodeCache) prune(keep map[uint64]bool) {
	c.mu.Lock()
	for k := range c.m {
		if !keep[k] {
			delete(c.m, k)
		}
	}
	c.mu.Unlock()
}
