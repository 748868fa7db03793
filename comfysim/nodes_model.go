package comfysim

import (
	"fmt"
)

// loader makes a node that checks its model file(s) and returns opaque
// handles. inputs maps input name -> model folder.
func loader(inputs map[string]string, outTypes ...string) nodeImpl {
	return nodeImpl{run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
		for name, folder := range inputs {
			file := inStr(in, name)
			if folder == "vae" && file == "pixel_space" {
				continue
			}
			if !x.s.modelExists(folder, file) {
				return nil, nil, &nodeError{typ: "FileNotFoundError", msg: fmt.Sprintf("Model in folder '%s' with filename '%s' not found.", folder, file)}
			}
		}
		out := make([]any, len(outTypes))
		for i, t := range outTypes {
			out[i] = opaque(t, describe(t, in), mix(x.sig, uint64(i)))
		}
		return out, nil, nil
	}}
}

func describe(typ string, in map[string]any) string {
	switch typ {
	case "MODEL":
		return "<comfy.model_patcher.ModelPatcher object at 0x7f3a1c2b9d50>"
	case "CLIP":
		return "<comfy.sd.CLIP object at 0x7f3a1c2b9e10>"
	case "VAE":
		return "<comfy.sd.VAE object at 0x7f3a1c2b9f90>"
	case "CONTROL_NET":
		return "<comfy.controlnet.ControlNet object at 0x7f3a1c2ba0d0>"
	case "UPSCALE_MODEL":
		return fmt.Sprintf("<spandrel.ImageModelDescriptor %s>", inStr(in, "model_name"))
	case "CONDITIONING":
		return "[[tensor of shape [1, 77, 768], {'pooled_output': tensor of shape [1, 768]}]]"
	}
	return "<" + typ + ">"
}

// passthrough makes a node whose outputs are new opaque handles derived
// from its inputs (LoRA application, text encoding, ...).
func passthrough(outTypes ...string) nodeImpl {
	return nodeImpl{run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
		out := make([]any, len(outTypes))
		for i, t := range outTypes {
			out[i] = opaque(t, describe(t, in), mix(x.sig, uint64(i)))
		}
		return out, nil, nil
	}}
}

func emptyLatent(x *execCtx, in map[string]any) ([]any, *omap, error) {
	w, h := inInt(in, "width")/8*8, inInt(in, "height")/8*8
	return []any{&latentVal{W: w, H: h, B: inInt(in, "batch_size"), sig: x.sig}}, nil, nil
}

// sample runs `steps` simulated steps with progress, honouring interrupts.
func sample(x *execCtx, in map[string]any, first, last, total int) ([]any, *omap, error) {
	lat, err := inLatent(in, "latent_image")
	if err != nil {
		return nil, nil, err
	}
	out := &latentVal{W: lat.W, H: lat.H, B: lat.B, Frames: lat.Frames, sig: x.sig}
	for i := first; i < last; i++ {
		if err := x.sleep(x.faults.StepDelay); err != nil {
			return nil, nil, err
		}
		step := i - first + 1
		var preview []byte
		if x.s.opts.PreviewMethod != "" && x.s.opts.PreviewMethod != "none" {
			// latent2rgb-sized (1/8) JPEG preview of the partially denoised latent
			preview, _ = encodeJPEG(patternImage(max(lat.W/8, 1), max(lat.H/8, 1), 1, mix(x.sig, uint64(step))))
		}
		if preview != nil {
			x.progressPreview(step, total, preview, true)
		} else {
			x.progress(step, total)
		}
		if x.s.opts.ProgressText {
			x.s.hub.sendText(x.r.route, x.nodeID, fmt.Sprintf("step %d/%d", step, total))
		}
	}
	return []any{out}, nil, nil
}

func modelNodes() map[string]nodeImpl {
	return map[string]nodeImpl{
		"CheckpointLoaderSimple": loader(map[string]string{"ckpt_name": "checkpoints"}, "MODEL", "CLIP", "VAE"),
		"VAELoader":              loader(map[string]string{"vae_name": "vae"}, "VAE"),
		"UNETLoader":             loader(map[string]string{"unet_name": "diffusion_models"}, "MODEL"),
		"CLIPLoader":             loader(map[string]string{"clip_name": "text_encoders"}, "CLIP"),
		"DualCLIPLoader":         loader(map[string]string{"clip_name1": "text_encoders", "clip_name2": "text_encoders"}, "CLIP"),
		"TripleCLIPLoader":       loader(map[string]string{"clip_name1": "text_encoders", "clip_name2": "text_encoders", "clip_name3": "text_encoders"}, "CLIP"),
		"ControlNetLoader":       loader(map[string]string{"control_net_name": "controlnet"}, "CONTROL_NET"),
		"UpscaleModelLoader":     loader(map[string]string{"model_name": "upscale_models"}, "UPSCALE_MODEL"),
		"LoraLoader":             withModelCheck(passthrough("MODEL", "CLIP"), "lora_name", "loras"),
		"LoraLoaderModelOnly":    withModelCheck(passthrough("MODEL"), "lora_name", "loras"),
		"CLIPTextEncode":         passthrough("CONDITIONING"),
		"CLIPSetLastLayer":       passthrough("CLIP"),
		"ConditioningCombine":    passthrough("CONDITIONING"),
		"EmptyLatentImage":       {run: emptyLatent},
		"EmptySD3LatentImage":    {run: emptyLatent},
		"LatentUpscale": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			lat, err := inLatent(in, "samples")
			if err != nil {
				return nil, nil, err
			}
			w, h := inInt(in, "width"), inInt(in, "height")
			if w == 0 && h == 0 {
				return []any{lat}, nil, nil
			}
			if w == 0 {
				w = lat.W * h / maxInt(lat.H, 1)
			}
			if h == 0 {
				h = lat.H * w / maxInt(lat.W, 1)
			}
			return []any{&latentVal{W: w / 8 * 8, H: h / 8 * 8, B: lat.B, sig: x.sig}}, nil, nil
		}},
		"KSampler": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			steps := inInt(in, "steps")
			return sample(x, in, 0, steps, steps)
		}},
		"KSamplerAdvanced": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			steps := inInt(in, "steps")
			start, end := inInt(in, "start_at_step"), inInt(in, "end_at_step")
			if end > steps {
				end = steps
			}
			if start > end {
				start = end
			}
			return sample(x, in, start, end, steps)
		}},
		"VAEDecode": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			lat, err := inLatent(in, "samples")
			if err != nil {
				return nil, nil, err
			}
			return []any{patternImage(lat.W, lat.H, lat.B*max(lat.Frames, 1), x.sig)}, nil, nil
		}},
		"VAEEncode": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			img, err := inImage(in, "pixels")
			if err != nil {
				return nil, nil, err
			}
			return []any{&latentVal{W: img.W / 8 * 8, H: img.H / 8 * 8, B: img.B, sig: x.sig}}, nil, nil
		}},
	}
}

func withModelCheck(n nodeImpl, input, folder string) nodeImpl {
	run := n.run
	n.run = func(x *execCtx, in map[string]any) ([]any, *omap, error) {
		if !x.s.modelExists(folder, inStr(in, input)) {
			return nil, nil, &nodeError{typ: "FileNotFoundError", msg: fmt.Sprintf("Model in folder '%s' with filename '%s' not found.", folder, inStr(in, input))}
		}
		return run(x, in)
	}
	return n
}
