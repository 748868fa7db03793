package comfysim

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Node packs installed under custom_nodes/ (by a client with workspace
// access, or by the simulated ComfyUI-Manager) become classes at start and
// after a restart, like ComfyUI's load_custom_node. A pack is recognised by
// its comfysim.json manifest (see packZip).

type customNodes struct {
	mu      sync.Mutex
	entries map[string]*omap
	packs   map[string]installedPack // dir name -> pack
}

type installedPack struct {
	dir      string
	manifest packManifest
	enabled  bool
}

func (c *customNodes) entry(class string) (*omap, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[class]
	if !ok {
		return nil, false
	}
	return cloneJSON(e).(*omap), true
}

func (c *customNodes) classes() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.entries))
	for k := range c.entries {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (c *customNodes) installed() map[string]installedPack {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make(map[string]installedPack, len(c.packs))
	for k, v := range c.packs {
		out[k] = v
	}
	return out
}

// loadCustomNodes rescans custom_nodes/ (the "restart").
func (s *Server) loadCustomNodes() {
	entries := map[string]*omap{}
	packs := map[string]installedPack{}
	dirs, _ := os.ReadDir(s.customDir)
	for _, d := range dirs {
		if !d.IsDir() || strings.HasPrefix(d.Name(), ".") || d.Name() == "__pycache__" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(s.customDir, d.Name(), "comfysim.json"))
		if err != nil {
			continue
		}
		var m packManifest
		if json.Unmarshal(b, &m) != nil {
			s.log.Warn("bad pack manifest", "dir", d.Name())
			continue
		}
		enabled := !strings.HasSuffix(d.Name(), ".disabled")
		packs[d.Name()] = installedPack{dir: d.Name(), manifest: m, enabled: enabled}
		if !enabled {
			continue
		}
		for _, c := range m.Classes {
			if _, core := s.cat.entries[c]; core {
				continue
			}
			entries[c] = packClassEntry(c, d.Name())
		}
	}
	s.custom.mu.Lock()
	s.custom.entries, s.custom.packs = entries, packs
	s.custom.mu.Unlock()
}

func packClassEntry(class, dir string) *omap {
	raw := fmt.Sprintf(`{"input": {"required": {"image": ["IMAGE"], "strength": ["FLOAT", {"default": 1.0, "min": 0.0, "max": 10.0, "step": 0.01}]}},
 "input_order": {"required": ["image", "strength"]}, "output": ["IMAGE"], "output_is_list": [false], "output_name": ["IMAGE"],
 "name": %q, "display_name": %q, "description": "comfysim pack node", "python_module": %q, "category": "comfysim", "output_node": false}`,
		class, class, "custom_nodes."+dir)
	v, _ := parseOrdered([]byte(raw))
	return v.(*omap)
}

// implFor is a class's behaviour: core implementations, or the pack
// filter (IMAGE -> IMAGE) for installed pack classes.
func implFor(class string) nodeImpl {
	if impl, ok := nodeImpls[class]; ok {
		return impl
	}
	return nodeImpl{run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
		src, err := inImage(in, "image")
		if err != nil {
			return nil, nil, err
		}
		out := *src
		out.sig = x.sig
		return []any{&out}, nil, nil
	}}
}
