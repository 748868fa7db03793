package comfysim

import (
	_ "embed"
	"fmt"
)

// object_info_core.json holds object_info entries copied verbatim from the
// ComfyUI 0.3.64 capture (fixtures/comfyui-0.3.64/object_info.json) for the
// classes the simulator can execute.
//
//go:embed catalog/object_info_core.json
var objectInfoCore []byte

type catalog struct {
	order   []string
	entries map[string]*omap
}

func loadCatalog() (*catalog, error) {
	v, err := parseOrdered(objectInfoCore)
	if err != nil {
		return nil, fmt.Errorf("comfysim: catalogue: %w", err)
	}
	root, ok := v.(*omap)
	if !ok {
		return nil, fmt.Errorf("comfysim: catalogue is not an object")
	}
	c := &catalog{entries: map[string]*omap{}}
	for _, k := range root.keys {
		e, ok := root.m[k].(*omap)
		if !ok {
			return nil, fmt.Errorf("comfysim: catalogue entry %s is not an object", k)
		}
		if _, ok := nodeImpls[k]; !ok {
			return nil, fmt.Errorf("comfysim: catalogue entry %s has no implementation", k)
		}
		c.order = append(c.order, k)
		c.entries[k] = e
	}
	return c, nil
}

// liveCombos maps class -> input -> model folder whose files fill the COMBO.
// "@input" means the input directory (LoadImage); "vae" gets "pixel_space".
var liveCombos = map[string]map[string]string{
	"CheckpointLoaderSimple": {"ckpt_name": "checkpoints"},
	"VAELoader":              {"vae_name": "vae"},
	"LoraLoader":             {"lora_name": "loras"},
	"LoraLoaderModelOnly":    {"lora_name": "loras"},
	"UNETLoader":             {"unet_name": "diffusion_models"},
	"CLIPLoader":             {"clip_name": "text_encoders"},
	"DualCLIPLoader":         {"clip_name1": "text_encoders", "clip_name2": "text_encoders"},
	"TripleCLIPLoader":       {"clip_name1": "text_encoders", "clip_name2": "text_encoders", "clip_name3": "text_encoders"},
	"ControlNetLoader":       {"control_net_name": "controlnet"},
	"UpscaleModelLoader":     {"model_name": "upscale_models"},
	"LoadImage":              {"image": "@input"},
	"LoadImageMask":          {"image": "@input"},
	"CLIPVisionLoader":       {"clip_name": "clip_vision"},
}

// entry returns a deep copy of the class's NodeInfo with model COMBOs filled
// from the live folders, in whichever COMBO shape the class uses.
func (s *Server) entry(class string) (*omap, bool) {
	e, ok := s.cat.entries[class]
	if !ok {
		return s.custom.entry(class)
	}
	c := cloneJSON(e).(*omap)
	lc := liveCombos[class]
	if len(lc) == 0 {
		return c, true
	}
	in, _ := c.get("input")
	inputs, _ := in.(*omap)
	for _, sec := range []string{"required", "optional"} {
		sv, _ := inputs.get(sec)
		so, _ := sv.(*omap)
		if so == nil {
			continue
		}
		for name, folder := range lc {
			spec, ok := so.get(name)
			if !ok {
				continue
			}
			so.set(name, fillCombo(spec, s.comboOptions(folder)))
		}
	}
	return c, true
}

func (s *Server) comboOptions(folder string) []string {
	switch folder {
	case "@input":
		return s.inputImages()
	case "vae":
		return append(s.listModels("vae"), "pixel_space")
	}
	return s.listModels(folder)
}

// fillCombo writes opts into a legacy combo ([[opts...], {...}]) or a V3
// combo (["COMBO", {"options": [...]}]).
func fillCombo(spec any, opts []string) any {
	arr, ok := spec.([]any)
	if !ok || len(arr) == 0 {
		return spec
	}
	list := make([]any, len(opts))
	for i, o := range opts {
		list[i] = o
	}
	if t, ok := arr[0].(string); ok && t == "COMBO" {
		if len(arr) > 1 {
			if o, ok := arr[1].(*omap); ok {
				o.set("options", list)
			}
		}
		return arr
	}
	arr[0] = list
	return arr
}

// inputSpec is one input of a class, as validation needs it.
type inputSpec struct {
	name     string
	category string // required | optional
	typ      string // INT, FLOAT, STRING, BOOLEAN, COMBO, IMAGE, ... ; "" for legacy combo
	options  []any  // combo options (both shapes)
	isCombo  bool
	raw      []any // the [type, extra] pair as ComfyUI reports it in input_config
	extra    *omap
}

func classInputs(e *omap) []inputSpec {
	var out []inputSpec
	in, _ := e.get("input")
	inputs, _ := in.(*omap)
	order, _ := e.get("input_order")
	ord, _ := order.(*omap)
	for _, sec := range []string{"required", "optional"} {
		sv, _ := inputs.get(sec)
		so, _ := sv.(*omap)
		if so == nil {
			continue
		}
		names := so.keys
		if ov, ok := ord.get(sec); ok {
			if l, ok := ov.([]any); ok {
				names = nil
				for _, n := range l {
					if s, ok := n.(string); ok {
						names = append(names, s)
					}
				}
			}
		}
		for _, n := range names {
			sv, ok := so.get(n)
			if !ok {
				continue
			}
			arr, _ := sv.([]any)
			is := inputSpec{name: n, category: sec, extra: newOmap()}
			if len(arr) > 1 {
				if o, ok := arr[1].(*omap); ok {
					is.extra = o
				}
			}
			if len(arr) > 0 {
				switch t := arr[0].(type) {
				case string:
					is.typ = t
					if t == "COMBO" {
						is.isCombo = true
						if ov, ok := is.extra.get("options"); ok {
							is.options, _ = ov.([]any)
						}
					}
				case []any:
					is.isCombo = true
					is.options = t
					is.raw = []any{t, is.extra}
				}
			}
			if is.raw == nil {
				is.raw = []any{arr[0], is.extra}
			}
			out = append(out, is)
		}
	}
	return out
}

func classOutputs(e *omap) []string {
	v, _ := e.get("output")
	arr, _ := v.([]any)
	out := make([]string, len(arr))
	for i, x := range arr {
		if s, ok := x.(string); ok {
			out[i] = s
		} else {
			out[i] = "COMBO"
		}
	}
	return out
}

func isOutputNode(e *omap) bool {
	v, _ := e.get("output_node")
	b, _ := v.(bool)
	return b
}
