package workflow

import (
	"errors"
	"sort"
	"strings"
	"testing"
)

// names maps friendly name -> "node.input" for compact assertions.
func names(t *testing.T, g Graph, oi *ObjectInfo) map[string]string {
	t.Helper()
	s, err := ExtractSchema(g, oi)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range s.Params {
		out[p.Name] = p.NodeID + "." + p.Input
	}
	return out
}

func TestSchemaTracing(t *testing.T) {
	cases := []struct {
		name   string
		graph  string
		want   map[string]string // subset of name -> node.input
		absent []string
	}{
		{
			name:  "titles lie, tracing wins",
			graph: string(mustRead(t, "sd15_api.json")),
			want: map[string]string{"prompt": "6.text", "negative_prompt": "7.text", "seed": "3.seed",
				"ckpt_name": "4.ckpt_name", "width": "5.width", "filename_prefix": "9.filename_prefix"},
		},
		{
			name: "two samplers share an encoder: names stay unsuffixed for shared, suffixed for clashing",
			graph: `{
			 "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "pos", "clip": ["9", 1]}},
			 "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "neg", "clip": ["9", 1]}},
			 "3": {"class_type": "KSampler", "inputs": {"seed": 1, "steps": 20, "positive": ["1", 0], "negative": ["2", 0]}},
			 "4": {"class_type": "KSampler", "inputs": {"seed": 2, "steps": 10, "positive": ["1", 0], "negative": ["2", 0]}},
			 "9": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a.safetensors"}}}`,
			want:   map[string]string{"prompt": "1.text", "negative_prompt": "2.text", "seed_3": "3.seed", "seed_4": "4.seed", "steps_3": "3.steps", "steps_4": "4.steps"},
			absent: []string{"seed", "steps"},
		},
		{
			name: "SDXL dual encoders and refiner",
			graph: `{
			 "1": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"text_g": "pos g", "text_l": "pos l", "width": 1024, "clip": ["9", 1]}},
			 "2": {"class_type": "CLIPTextEncodeSDXL", "inputs": {"text_g": "neg g", "text_l": "neg l", "width": 1024, "clip": ["9", 1]}},
			 "3": {"class_type": "KSamplerAdvanced", "inputs": {"noise_seed": 1, "positive": ["1", 0], "negative": ["2", 0]}},
			 "5": {"class_type": "EmptyLatentImage", "inputs": {"width": 1024}},
			 "9": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a.safetensors"}}}`,
			want: map[string]string{"prompt": "1.text_g", "prompt_l": "1.text_l", "negative_prompt": "2.text_g",
				"negative_prompt_l": "2.text_l", "seed": "3.noise_seed", "width": "5.width", "cond_width_1": "1.width"},
		},
		{
			name: "through ControlNetApplyAdvanced and ConditioningCombine; ZeroOut stops",
			graph: `{
			 "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "a", "clip": ["9", 1]}},
			 "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "b", "clip": ["9", 1]}},
			 "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "c", "clip": ["9", 1]}},
			 "4": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["1", 0], "conditioning_2": ["3", 0]}},
			 "5": {"class_type": "ControlNetApplyAdvanced", "inputs": {"positive": ["4", 0], "negative": ["2", 0], "strength": 0.8, "control_net": ["8", 0]}},
			 "6": {"class_type": "KSampler", "inputs": {"seed": 1, "positive": ["5", 0], "negative": ["5", 1]}},
			 "7": {"class_type": "CLIPTextEncode", "inputs": {"text": "d", "clip": ["9", 1]}, "_meta": {"title": "Negative prompt"}},
			 "8": {"class_type": "ControlNetLoader", "inputs": {"control_net_name": "cn.safetensors"}},
			 "9": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": "a.safetensors"}}}`,
			want: map[string]string{"prompt_1": "1.text", "prompt_3": "3.text", "negative_prompt_2": "2.text",
				"negative_prompt_7": "7.text", "controlnet_strength": "5.strength", "control_net_name": "8.control_net_name"},
		},
		{
			name: "Flux guider chain with primitives",
			graph: `{
			 "1": {"class_type": "CLIPTextEncode", "inputs": {"text": ["20", 0], "clip": ["9", 0]}},
			 "2": {"class_type": "FluxGuidance", "inputs": {"guidance": 3.5, "conditioning": ["1", 0]}},
			 "3": {"class_type": "BasicGuider", "inputs": {"model": ["8", 0], "conditioning": ["2", 0]}},
			 "4": {"class_type": "RandomNoise", "inputs": {"noise_seed": ["21", 0]}},
			 "5": {"class_type": "SamplerCustomAdvanced", "inputs": {"noise": ["4", 0], "guider": ["3", 0]}},
			 "8": {"class_type": "UNETLoader", "inputs": {"unet_name": "flux1-dev.safetensors", "weight_dtype": "default"}},
			 "9": {"class_type": "DualCLIPLoader", "inputs": {"clip_name1": "t5.safetensors", "clip_name2": "clip_l.safetensors", "type": "flux"}},
			 "20": {"class_type": "PrimitiveStringMultiline", "inputs": {"value": "a cat"}},
			 "21": {"class_type": "Seed (rgthree)", "inputs": {"seed": 7}}}`,
			want: map[string]string{"prompt": "20.value", "seed": "21.seed", "guidance": "2.guidance",
				"unet_name": "8.unet_name", "clip_name1": "9.clip_name1", "clip_name2": "9.clip_name2"},
		},
		{
			name: "a rule's name beats a custom node's input of the same name",
			graph: `{
			 "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat"}},
			 "3": {"class_type": "KSampler", "inputs": {"seed": 1, "positive": ["1", 0]}},
			 "7": {"class_type": "InjectLatentNoise+", "inputs": {"noise_seed": 2}},
			 "8": {"class_type": "SomeLLMNode", "inputs": {"prompt": "write a poem"}}}`,
			want:   map[string]string{"seed": "3.seed", "seed_7": "7.noise_seed", "prompt": "1.text", "prompt_8": "8.prompt"},
			absent: []string{"seed_3", "prompt_1"},
		},
		{
			name: "untraced encoders fall back to titles",
			graph: `{
			 "1": {"class_type": "CLIPTextEncode", "inputs": {"text": "a"}, "_meta": {"title": "Positive"}},
			 "2": {"class_type": "CLIPTextEncode", "inputs": {"text": "b"}, "_meta": {"title": "CLIP Text Encode (Negative)"}}}`,
			want: map[string]string{"prompt": "1.text", "negative_prompt": "2.text"},
		},
		{
			name: "video latent and LoRA",
			graph: `{
			 "1": {"class_type": "EmptyHunyuanLatentVideo", "inputs": {"width": 832, "height": 480, "length": 33, "batch_size": 1}},
			 "2": {"class_type": "LoraLoader", "inputs": {"lora_name": "x.safetensors", "strength_model": 1, "strength_clip": 1}},
			 "3": {"class_type": "LoadImage", "inputs": {"image": "cat.png", "upload": "image"}}}`,
			want:   map[string]string{"length": "1.length", "lora_name": "2.lora_name", "strength_model": "2.strength_model", "image": "3.image"},
			absent: []string{"upload"},
		},
	}
	oi := realObjectInfoOrNil(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, cat := range []*ObjectInfo{nil, oi} {
				got := names(t, mustGraph(t, c.graph), cat)
				for k, v := range c.want {
					if got[k] != v {
						t.Errorf("catalogue=%v: %s = %q, want %q (all: %v)", cat != nil, k, got[k], v, sortedKeys(got))
					}
				}
				for _, k := range c.absent {
					if _, ok := got[k]; ok {
						t.Errorf("%s should be absent", k)
					}
				}
			}
		})
	}
}

func TestSchemaCycleIsAnError(t *testing.T) {
	g := mustGraph(t, `{
	 "1": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["2", 0], "conditioning_2": ["3", 0]}},
	 "2": {"class_type": "ConditioningCombine", "inputs": {"conditioning_1": ["1", 0]}},
	 "3": {"class_type": "CLIPTextEncode", "inputs": {"text": "x"}},
	 "4": {"class_type": "KSampler", "inputs": {"positive": ["1", 0], "negative": ["2", 0]}}}`)
	_, err := ExtractSchema(g, nil)
	var ce *CycleError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), "1 -> 2 -> 1") {
		t.Fatalf("err = %v", err)
	}
	// The tracer itself terminates on cycles too.
	roles := traceRoles(g, nil, g.IDs())
	if roles["3"] != rolePositive {
		t.Errorf("roles = %v", roles)
	}
}

func TestSchemaDescribesFromCatalogue(t *testing.T) {
	oi := realObjectInfo(t)
	s, err := ExtractSchema(mustGraph(t, string(mustRead(t, "sd15_api.json"))), oi)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := s.Lookup("sampler_name")
	if p.Type != "COMBO" || len(p.Options) < 10 {
		t.Errorf("sampler_name = %+v", p)
	}
	p, _ = s.Lookup("steps")
	if p.Min != "1" || p.Max != "10000" || p.Kind != KindValue {
		t.Errorf("steps = %+v", p)
	}
	p, _ = s.Lookup("ckpt_name")
	if p.Kind != KindModel || p.Folder != "checkpoints" {
		t.Errorf("ckpt_name = %+v", p)
	}
	got := s.Names()
	if !sort.StringsAreSorted(got) {
		t.Error("names not sorted")
	}
}

func mustRead(t *testing.T, name string) []byte { return testdata(t, name) }

func realObjectInfoOrNil(t *testing.T) *ObjectInfo { return tryRealObjectInfo() }
