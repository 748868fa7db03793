package comfysim

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"testing"
)

func runGraph(t *testing.T, s *Server, graph map[string]any) map[string]any {
	t.Helper()
	ws := dialWS(t, s.URL(), "/ws", "g")
	ws.next()
	id := submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "g"})
	for _, m := range ws.until(isExecutingNull) {
		if m["type"] == "execution_error" {
			t.Fatalf("run failed: %v", m["data"])
		}
	}
	_, _, h := doJSON(t, "GET", s.URL()+"/history/"+id, nil)
	return firstValue(h).(map[string]any)["outputs"].(map[string]any)
}

func withModels(t *testing.T, files ...string) string {
	dir := t.TempDir()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		_ = os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFluxCustomSampling(t *testing.T) {
	s := startSim(t, Options{ModelsDir: withModels(t, "vae/ae.safetensors", "text_encoders/t5xxl_fp16.safetensors", "clip/clip_l.safetensors", "unet/flux1-dev.safetensors")})
	n := func(class string, in map[string]any) map[string]any {
		return map[string]any{"class_type": class, "inputs": in}
	}
	out := runGraph(t, s, map[string]any{
		"6":  n("CLIPTextEncode", map[string]any{"text": "a cat", "clip": []any{"11", 0}}),
		"8":  n("VAEDecode", map[string]any{"samples": []any{"13", 0}, "vae": []any{"10", 0}}),
		"9":  n("SaveImage", map[string]any{"filename_prefix": "flux_dev", "images": []any{"8", 0}}),
		"10": n("VAELoader", map[string]any{"vae_name": "ae.safetensors"}),
		"11": n("DualCLIPLoader", map[string]any{"clip_name1": "t5xxl_fp16.safetensors", "clip_name2": "clip_l.safetensors", "type": "flux", "device": "default"}),
		"12": n("UNETLoader", map[string]any{"unet_name": "flux1-dev.safetensors", "weight_dtype": "default"}),
		"13": n("SamplerCustomAdvanced", map[string]any{"noise": []any{"25", 0}, "guider": []any{"22", 0}, "sampler": []any{"16", 0}, "sigmas": []any{"17", 0}, "latent_image": []any{"27", 0}}),
		"16": n("KSamplerSelect", map[string]any{"sampler_name": "euler"}),
		"17": n("BasicScheduler", map[string]any{"scheduler": "simple", "steps": 4, "denoise": 1, "model": []any{"30", 0}}),
		"22": n("BasicGuider", map[string]any{"model": []any{"30", 0}, "conditioning": []any{"26", 0}}),
		"25": n("RandomNoise", map[string]any{"noise_seed": 42}),
		"26": n("FluxGuidance", map[string]any{"guidance": 3.5, "conditioning": []any{"6", 0}}),
		"27": n("EmptySD3LatentImage", map[string]any{"width": 96, "height": 64, "batch_size": 1}),
		"30": n("ModelSamplingFlux", map[string]any{"max_shift": 1.15, "base_shift": 0.5, "width": 96, "height": 64, "model": []any{"12", 0}}),
	})
	if len(out["9"].(map[string]any)["images"].([]any)) != 1 {
		t.Fatalf("outputs %v", out)
	}
}

func TestWanVideoLatent(t *testing.T) {
	s := startSim(t, Options{ModelsDir: withModels(t, "diffusion_models/wan.safetensors", "text_encoders/umt5.safetensors", "vae/wan_vae.safetensors")})
	n := func(class string, in map[string]any) map[string]any {
		return map[string]any{"class_type": class, "inputs": in}
	}
	out := runGraph(t, s, map[string]any{
		"3":  n("KSampler", map[string]any{"seed": 42, "steps": 2, "cfg": 6, "sampler_name": "uni_pc", "scheduler": "simple", "denoise": 1, "model": []any{"48", 0}, "positive": []any{"6", 0}, "negative": []any{"6", 0}, "latent_image": []any{"40", 0}}),
		"6":  n("CLIPTextEncode", map[string]any{"text": "a boat", "clip": []any{"38", 0}}),
		"8":  n("VAEDecode", map[string]any{"samples": []any{"3", 0}, "vae": []any{"39", 0}}),
		"37": n("UNETLoader", map[string]any{"unet_name": "wan.safetensors", "weight_dtype": "default"}),
		"38": n("CLIPLoader", map[string]any{"clip_name": "umt5.safetensors", "type": "wan", "device": "default"}),
		"39": n("VAELoader", map[string]any{"vae_name": "wan_vae.safetensors"}),
		"40": n("EmptyHunyuanLatentVideo", map[string]any{"width": 64, "height": 48, "length": 5, "batch_size": 1}),
		"48": n("ModelSamplingSD3", map[string]any{"shift": 8, "model": []any{"37", 0}}),
		"49": n("SaveAnimatedWEBP", map[string]any{"filename_prefix": "wan_t2v", "fps": 16, "lossless": false, "quality": 90, "method": "default", "images": []any{"8", 0}}),
	})
	if out["49"].(map[string]any)["animated"].([]any)[0] != true {
		t.Fatalf("video frames not animated: %v", out)
	}
}

func TestInpaint(t *testing.T) {
	s := startSim(t, Options{ModelsDir: withModels(t, "checkpoints/sd_xl_base_1.0.safetensors")})
	n := func(class string, in map[string]any) map[string]any {
		return map[string]any{"class_type": class, "inputs": in}
	}
	graph := map[string]any{
		"3":  n("KSampler", map[string]any{"seed": 42, "steps": 2, "cfg": 7, "sampler_name": "dpmpp_2m", "scheduler": "karras", "denoise": 1, "model": []any{"4", 0}, "positive": []any{"6", 0}, "negative": []any{"6", 0}, "latent_image": []any{"12", 0}}),
		"4":  n("CheckpointLoaderSimple", map[string]any{"ckpt_name": "sd_xl_base_1.0.safetensors"}),
		"6":  n("CLIPTextEncode", map[string]any{"text": "a plant", "clip": []any{"4", 1}}),
		"8":  n("VAEDecode", map[string]any{"samples": []any{"3", 0}, "vae": []any{"4", 2}}),
		"9":  n("SaveImage", map[string]any{"filename_prefix": "sdxl_inpaint", "images": []any{"8", 0}}),
		"10": n("LoadImage", map[string]any{"image": "example.png"}),
		"11": n("LoadImageMask", map[string]any{"image": "example.png", "channel": "alpha"}),
		"12": n("VAEEncodeForInpaint", map[string]any{"pixels": []any{"10", 0}, "vae": []any{"4", 2}, "mask": []any{"11", 0}, "grow_mask_by": 6}),
	}
	out := runGraph(t, s, graph)
	img := out["9"].(map[string]any)["images"].([]any)[0].(map[string]any)
	resp, err := http.Get(s.URL() + "/view?filename=" + img["filename"].(string))
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("view: %v %v", err, resp)
	}
	resp.Body.Close()
	graph["11"].(map[string]any)["inputs"].(map[string]any)["image"] = "nope.png"
	code, _, body := doJSON(t, "POST", s.URL()+"/prompt", map[string]any{"prompt": graph})
	if code != 400 || body.(map[string]any)["node_errors"].(map[string]any)["11"] == nil {
		t.Fatalf("LoadImageMask validation: %d %v", code, body)
	}
}

// TestExtraClasses: classes given only as NodeInfo validate (combos
// included) and run generically; a pack can carry real entries too.
func TestExtraClasses(t *testing.T) {
	extra := []byte(`{
 "ADE_AnimateDiffLoaderGen1": {"input": {"required": {"model": ["MODEL"], "model_name": [["mm_sd_v15_v2.ckpt"]], "beta_schedule": [["autoselect", "sqrt_linear (AnimateDiff)"]]}},
  "input_order": {"required": ["model", "model_name", "beta_schedule"]}, "output": ["MODEL"], "output_is_list": [false], "output_name": ["MODEL"],
  "name": "ADE_AnimateDiffLoaderGen1", "display_name": "AnimateDiff Loader", "description": "", "python_module": "custom_nodes.ComfyUI-AnimateDiff-Evolved", "category": "Animate Diff", "output_node": false},
 "VHS_VideoCombine": {"input": {"required": {"images": ["IMAGE"], "frame_rate": ["FLOAT", {"default": 8, "min": 1, "step": 1}], "filename_prefix": ["STRING", {"default": "AnimateDiff"}]}},
  "input_order": {"required": ["images", "frame_rate", "filename_prefix"]}, "output": ["VHS_FILENAMES"], "output_is_list": [false], "output_name": ["Filenames"],
  "name": "VHS_VideoCombine", "display_name": "Video Combine", "description": "", "python_module": "custom_nodes.ComfyUI-VideoHelperSuite", "category": "Video Helper Suite", "output_node": true}}`)
	s := startSim(t, Options{ExtraClasses: extra})
	n := func(class string, in map[string]any) map[string]any {
		return map[string]any{"class_type": class, "inputs": in}
	}
	graph := map[string]any{
		"4":  n("CheckpointLoaderSimple", map[string]any{"ckpt_name": "sim_base.safetensors"}),
		"10": n("ADE_AnimateDiffLoaderGen1", map[string]any{"model": []any{"4", 0}, "model_name": "mm_sd_v15_v2.ckpt", "beta_schedule": "autoselect"}),
		"6":  n("CLIPTextEncode", map[string]any{"text": "a", "clip": []any{"4", 1}}),
		"5":  n("EmptyLatentImage", map[string]any{"width": 64, "height": 64, "batch_size": 4}),
		"3": n("KSampler", map[string]any{"model": []any{"10", 0}, "seed": 1, "steps": 2, "cfg": 7.0, "sampler_name": "euler", "scheduler": "normal",
			"positive": []any{"6", 0}, "negative": []any{"6", 0}, "latent_image": []any{"5", 0}, "denoise": 1.0}),
		"8":  n("VAEDecode", map[string]any{"samples": []any{"3", 0}, "vae": []any{"4", 2}}),
		"12": n("VHS_VideoCombine", map[string]any{"images": []any{"8", 0}, "frame_rate": 8, "filename_prefix": "ad"}),
	}
	out := runGraph(t, s, graph)
	if n := len(out["12"].(map[string]any)["images"].([]any)); n != 4 {
		t.Fatalf("generic output node saved %d images", n)
	}
	graph["10"].(map[string]any)["inputs"].(map[string]any)["beta_schedule"] = "nope"
	code, _, body := doJSON(t, "POST", s.URL()+"/prompt", map[string]any{"prompt": graph})
	if code != 400 || body.(map[string]any)["node_errors"].(map[string]any)["10"] == nil {
		t.Fatalf("combo of an extra class not validated: %d %v", code, body)
	}

	// A registry pack carrying a real entry keeps it, under custom_nodes.<dir>.
	var all map[string]json.RawMessage
	if err := json.Unmarshal(extra, &all); err != nil {
		t.Fatal(err)
	}
	adeOnly, _ := json.Marshal(map[string]json.RawMessage{"ADE_AnimateDiffLoaderGen1": all["ADE_AnimateDiffLoaderGen1"]})
	ws := t.TempDir()
	s2 := startSim(t, Options{ModelsDir: filepath.Join(ws, "models"), RegistryPacks: []RegistryPack{{
		ID: "comfyui-animatediff-evolved", Versions: []string{"1.5.4"}, Classes: []string{"ADE_AnimateDiffLoaderGen1"},
		ObjectInfo: adeOnly,
	}}})
	if err := s2.installPack("comfyui-animatediff-evolved", "latest", ""); err != nil {
		t.Fatal(err)
	}
	s2.Restart()
	_, _, oi := doJSON(t, "GET", s2.URL()+"/object_info/ADE_AnimateDiffLoaderGen1", nil)
	e := oi.(map[string]any)["ADE_AnimateDiffLoaderGen1"].(map[string]any)
	if e["python_module"] != "custom_nodes.comfyui-animatediff-evolved" || e["display_name"] != "AnimateDiff Loader" {
		t.Fatalf("pack entry %v", e)
	}
}
