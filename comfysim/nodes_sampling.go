package comfysim

import "fmt"

// Custom sampling (Flux/SD3 style graphs), video latents, inpainting and
// ControlNet: the classes the project's examples use beyond the basics.

type sigmasVal struct {
	steps int
	sig   uint64
}

func samplingNodes() map[string]nodeImpl {
	customSample := func(x *execCtx, in map[string]any) ([]any, *omap, error) {
		sg, ok := in["sigmas"].(*sigmasVal)
		if !ok {
			return nil, nil, &nodeError{typ: "AttributeError", msg: "'NoneType' object has no attribute 'shape'"}
		}
		vals, _, err := sample(x, in, 0, sg.steps, sg.steps)
		if err != nil {
			return nil, nil, err
		}
		lat := vals[0].(*latentVal)
		den := *lat
		den.sig = mix(lat.sig, 1)
		return []any{lat, &den}, nil, nil
	}
	return map[string]nodeImpl{
		"RandomNoise":             passthrough("NOISE"),
		"KSamplerSelect":          passthrough("SAMPLER"),
		"BasicGuider":             passthrough("GUIDER"),
		"CFGGuider":               passthrough("GUIDER"),
		"FluxGuidance":            passthrough("CONDITIONING"),
		"ModelSamplingFlux":       passthrough("MODEL"),
		"ModelSamplingSD3":        passthrough("MODEL"),
		"ModelSamplingAuraFlow":   passthrough("MODEL"),
		"ModelSamplingDiscrete":   passthrough("MODEL"),
		"ControlNetApplyAdvanced": passthrough("CONDITIONING", "CONDITIONING"),
		"CLIPVisionLoader":        loader(map[string]string{"clip_name": "clip_vision"}, "CLIP_VISION"),
		"BasicScheduler": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			steps := inInt(in, "steps")
			if d := inFloat(in, "denoise"); d > 0 && d < 1 {
				steps = int(float64(steps) * d)
			}
			return []any{&sigmasVal{steps: steps, sig: x.sig}}, nil, nil
		}},
		"SamplerCustomAdvanced": {run: customSample},
		"SamplerCustom":         {run: customSample},
		"EmptyHunyuanLatentVideo": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			w, h := inInt(in, "width")/16*16, inInt(in, "height")/16*16
			return []any{&latentVal{W: w, H: h, B: inInt(in, "batch_size"), Frames: inInt(in, "length"), sig: x.sig}}, nil, nil
		}},
		"LoadImageMask": {
			run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
				vals, _, err := runLoadImage(x, in)
				if err != nil {
					return nil, nil, err
				}
				img := vals[0].(*imageVal)
				return []any{opaque("MASK", fmt.Sprintf("tensor of shape [1, %d, %d] (MASK)", img.H, img.W), x.sig)}, nil, nil
			},
			customValidated: []string{"image"},
			validateInputs:  nodeImpls["LoadImage"].validateInputs,
			isChanged:       nodeImpls["LoadImage"].isChanged,
		},
		"VAEEncodeForInpaint": {run: func(x *execCtx, in map[string]any) ([]any, *omap, error) {
			img, err := inImage(in, "pixels")
			if err != nil {
				return nil, nil, err
			}
			return []any{&latentVal{W: img.W / 8 * 8, H: img.H / 8 * 8, B: img.B, sig: x.sig}}, nil, nil
		}},
	}
}
