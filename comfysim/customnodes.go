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
		given := parseObjectInfo(m.ObjectInfo)
		for _, c := range m.Classes {
			if _, core := s.cat.entries[c]; core {
				continue
			}
			entries[c] = packClassEntry(c, d.Name())
			if e, ok := given[c]; ok {
				e.set("python_module", "custom_nodes."+d.Name())
				entries[c] = e
			}
		}
	}
	for c, e := range parseObjectInfo(s.opts.ExtraClasses) {
		if _, core := s.cat.entries[c]; !core {
			entries[c] = e
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

// parseObjectInfo reads {Class: NodeInfo} JSON (nil or invalid => none).
func parseObjectInfo(raw json.RawMessage) map[string]*omap {
	out := map[string]*omap{}
	if len(raw) == 0 {
		return out
	}
	v, err := parseOrdered(raw)
	o, ok := v.(*omap)
	if err != nil || !ok {
		return out
	}
	for _, k := range o.keys {
		if e, ok := o.m[k].(*omap); ok {
			out[k] = e
		}
	}
	return out
}

// implFor is a class's behaviour: core implementations, or genericRun for
// pack and extra classes.
func implFor(class string) nodeImpl {
	if impl, ok := nodeImpls[class]; ok {
		return impl
	}
	return nodeImpl{run: genericRun}
}

// genericRun executes a class known only by its NodeInfo: each output of a
// type the node also takes passes the first such input through (IMAGE and
// LATENT as new values of the same size), other outputs are new handles; an
// output node with an IMAGE input saves it like SaveImage.
func genericRun(x *execCtx, in map[string]any) ([]any, *omap, error) {
	e, _ := x.s.entry(x.class)
	inputs := classInputs(e)
	firstOf := func(typ string) any {
		for _, is := range inputs {
			if v, ok := in[is.name]; ok && is.typ == typ {
				return v
			}
		}
		return nil
	}
	outs := classOutputs(e)
	vals := make([]any, len(outs))
	for i, t := range outs {
		sig := mix(x.sig, uint64(i))
		switch src := firstOf(t).(type) {
		case *imageVal:
			c := *src
			c.sig = sig
			vals[i] = &c
		case *latentVal:
			c := *src
			c.sig = sig
			vals[i] = &c
		case nil:
			switch t {
			case "IMAGE":
				vals[i] = patternImage(512, 512, 1, sig)
			case "LATENT":
				vals[i] = &latentVal{W: 512, H: 512, B: 1, sig: sig}
			default:
				vals[i] = opaque(t, "<"+t+" from "+x.class+">", sig)
			}
		default:
			vals[i] = src
		}
	}
	if img, ok := firstOf("IMAGE").(*imageVal); ok && isOutputNode(e) {
		prefix := inStr(in, "filename_prefix")
		if prefix == "" {
			prefix = x.class
		}
		text := x.pngText()
		res, err := x.saveFiles("output", prefix, img.W, img.H, img.B, "png", func(b int) ([]byte, error) {
			return encodePNGBatch(img, b, text)
		})
		if err != nil {
			return nil, nil, err
		}
		ui := newOmap()
		ui.set("images", res)
		return vals, ui, nil
	}
	return vals, nil, nil
}
