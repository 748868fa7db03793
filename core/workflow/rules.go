package workflow

// Kind says what a rule (and a schema parameter) is for.
type Kind string

const (
	KindValue     Kind = "value"     // an ordinary literal input
	KindSeed      Kind = "seed"      // a noise seed: seed_mode and seed = -1 apply
	KindText      Kind = "text"      // text-encoder text: named prompt / negative_prompt by tracing
	KindCond      Kind = "cond"      // a sampler's or guider's conditioning input (tracing start)
	KindCondStop  Kind = "condstop"  // tracing stops here (the text behind it does not matter)
	KindModel     Kind = "model"     // a model file in Folder
	KindUpload    Kind = "upload"    // a file in the server's input folder (uploads)
	KindPrimitive Kind = "primitive" // a primitive node's value: named after what it feeds
	KindHidden    Kind = "hidden"    // not a parameter (upload-button pseudo inputs)
)

// Rule is one row of the friendly-schema table. Class "*" matches every class.
//
//   - KindText: Name is "" for the encoder's main text (prompt / negative_prompt) or a
//     suffix for the others ("l" gives prompt_l / negative_prompt_l).
//   - KindCond: Role is "positive" or "negative".
//   - KindModel: Folder is the /models folder; Name overrides the input name.
//   - KindPrimitive: Name is the fallback when the primitive feeds nothing named.
//   - other kinds: Name is the friendly name ("" keeps the input name).
type Rule struct {
	Class, Input string
	Kind         Kind
	Name         string
	Folder       string
	Role         string
}

// Rules is the whole table. Extend it here; nothing else in the package names classes.
var Rules = []Rule{
	// Seeds.
	{Class: "KSampler", Input: "seed", Kind: KindSeed, Name: "seed"},
	{Class: "KSamplerAdvanced", Input: "noise_seed", Kind: KindSeed, Name: "seed"},
	{Class: "SamplerCustom", Input: "noise_seed", Kind: KindSeed, Name: "seed"},
	{Class: "RandomNoise", Input: "noise_seed", Kind: KindSeed, Name: "seed"},
	{Class: "*", Input: "seed", Kind: KindSeed, Name: "seed"},
	{Class: "*", Input: "noise_seed", Kind: KindSeed, Name: "seed"},

	// Where prompt tracing starts: samplers and guiders.
	{Class: "KSampler", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "KSampler", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "KSamplerAdvanced", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "KSamplerAdvanced", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "SamplerCustom", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "SamplerCustom", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "CFGGuider", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "CFGGuider", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "BasicGuider", Input: "conditioning", Kind: KindCond, Role: "positive"},
	{Class: "DualCFGGuider", Input: "cond1", Kind: KindCond, Role: "positive"},
	{Class: "DualCFGGuider", Input: "cond2", Kind: KindCond, Role: "positive"},
	{Class: "DualCFGGuider", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "PerpNegGuider", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "PerpNegGuider", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "KSampler (Efficient)", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "KSampler (Efficient)", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "KSamplerAdvanced (Efficient)", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "KSamplerAdvanced (Efficient)", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "easy fullkSampler", Input: "positive", Kind: KindCond, Role: "positive"},
	{Class: "easy fullkSampler", Input: "negative", Kind: KindCond, Role: "negative"},
	{Class: "ConditioningZeroOut", Input: "conditioning", Kind: KindCondStop},
	{Class: "PerpNegGuider", Input: "empty_conditioning", Kind: KindCondStop},

	// Text encoders.
	{Class: "CLIPTextEncode", Input: "text", Kind: KindText},
	{Class: "CLIPTextEncodeSDXL", Input: "text_g", Kind: KindText},
	{Class: "CLIPTextEncodeSDXL", Input: "text_l", Kind: KindText, Name: "l"},
	{Class: "CLIPTextEncodeSDXLRefiner", Input: "text", Kind: KindText},
	{Class: "CLIPTextEncodeFlux", Input: "t5xxl", Kind: KindText},
	{Class: "CLIPTextEncodeFlux", Input: "clip_l", Kind: KindText, Name: "clip_l"},
	{Class: "CLIPTextEncodeSD3", Input: "t5xxl", Kind: KindText},
	{Class: "CLIPTextEncodeSD3", Input: "clip_l", Kind: KindText, Name: "clip_l"},
	{Class: "CLIPTextEncodeSD3", Input: "clip_g", Kind: KindText, Name: "clip_g"},
	{Class: "CLIPTextEncodeHiDream", Input: "llama", Kind: KindText},
	{Class: "CLIPTextEncodeHiDream", Input: "t5xxl", Kind: KindText, Name: "t5xxl"},
	{Class: "CLIPTextEncodeHiDream", Input: "clip_l", Kind: KindText, Name: "clip_l"},
	{Class: "CLIPTextEncodeHiDream", Input: "clip_g", Kind: KindText, Name: "clip_g"},
	{Class: "CLIPTextEncodeHunyuanDiT", Input: "bert", Kind: KindText},
	{Class: "CLIPTextEncodeHunyuanDiT", Input: "mt5xl", Kind: KindText, Name: "mt5xl"},
	{Class: "CLIPTextEncodePixArtAlpha", Input: "text", Kind: KindText},
	{Class: "CLIPTextEncodeLumina2", Input: "user_prompt", Kind: KindText},
	{Class: "CLIPTextEncodeLumina2", Input: "system_prompt", Kind: KindValue, Name: "system_prompt"},
	{Class: "CLIPTextEncodeControlnet", Input: "text", Kind: KindText},
	{Class: "TextEncodeHunyuanVideo_ImageToVideo", Input: "prompt", Kind: KindText},
	{Class: "TextEncodeQwenImageEdit", Input: "prompt", Kind: KindText},
	{Class: "TextEncodeQwenImageEditPlus", Input: "prompt", Kind: KindText},
	{Class: "TextEncodeAceStepAudio", Input: "tags", Kind: KindText},
	{Class: "TextEncodeAceStepAudio", Input: "lyrics", Kind: KindValue, Name: "lyrics"},
	{Class: "PhotoMakerEncode", Input: "text", Kind: KindText},
	{Class: "BNK_CLIPTextEncodeAdvanced", Input: "text", Kind: KindText},
	{Class: "CLIPTextEncode (NSP)", Input: "text", Kind: KindText},

	// Model files, by loader and /models folder.
	{Class: "CheckpointLoaderSimple", Input: "ckpt_name", Kind: KindModel, Folder: "checkpoints"},
	{Class: "CheckpointLoader", Input: "ckpt_name", Kind: KindModel, Folder: "checkpoints"},
	{Class: "CheckpointLoader", Input: "config_name", Kind: KindModel, Folder: "configs"},
	{Class: "ImageOnlyCheckpointLoader", Input: "ckpt_name", Kind: KindModel, Folder: "checkpoints"},
	{Class: "unCLIPCheckpointLoader", Input: "ckpt_name", Kind: KindModel, Folder: "checkpoints"},
	{Class: "CheckpointLoaderNF4", Input: "ckpt_name", Kind: KindModel, Folder: "checkpoints"},
	{Class: "VAELoader", Input: "vae_name", Kind: KindModel, Folder: "vae"},
	{Class: "LoraLoader", Input: "lora_name", Kind: KindModel, Folder: "loras"},
	{Class: "LoraLoaderModelOnly", Input: "lora_name", Kind: KindModel, Folder: "loras"},
	{Class: "LoraLoader|pysssss", Input: "lora_name", Kind: KindModel, Folder: "loras"},
	{Class: "UNETLoader", Input: "unet_name", Kind: KindModel, Folder: "diffusion_models"},
	{Class: "UnetLoaderGGUF", Input: "unet_name", Kind: KindModel, Folder: "diffusion_models"},
	{Class: "CLIPLoader", Input: "clip_name", Kind: KindModel, Folder: "text_encoders"},
	{Class: "CLIPLoaderGGUF", Input: "clip_name", Kind: KindModel, Folder: "text_encoders"},
	{Class: "DualCLIPLoader", Input: "clip_name1", Kind: KindModel, Folder: "text_encoders"},
	{Class: "DualCLIPLoader", Input: "clip_name2", Kind: KindModel, Folder: "text_encoders"},
	{Class: "DualCLIPLoaderGGUF", Input: "clip_name1", Kind: KindModel, Folder: "text_encoders"},
	{Class: "DualCLIPLoaderGGUF", Input: "clip_name2", Kind: KindModel, Folder: "text_encoders"},
	{Class: "TripleCLIPLoader", Input: "clip_name1", Kind: KindModel, Folder: "text_encoders"},
	{Class: "TripleCLIPLoader", Input: "clip_name2", Kind: KindModel, Folder: "text_encoders"},
	{Class: "TripleCLIPLoader", Input: "clip_name3", Kind: KindModel, Folder: "text_encoders"},
	{Class: "QuadrupleCLIPLoader", Input: "clip_name1", Kind: KindModel, Folder: "text_encoders"},
	{Class: "QuadrupleCLIPLoader", Input: "clip_name2", Kind: KindModel, Folder: "text_encoders"},
	{Class: "QuadrupleCLIPLoader", Input: "clip_name3", Kind: KindModel, Folder: "text_encoders"},
	{Class: "QuadrupleCLIPLoader", Input: "clip_name4", Kind: KindModel, Folder: "text_encoders"},
	{Class: "CLIPVisionLoader", Input: "clip_name", Kind: KindModel, Folder: "clip_vision", Name: "clip_vision_name"},
	{Class: "ControlNetLoader", Input: "control_net_name", Kind: KindModel, Folder: "controlnet"},
	{Class: "DiffControlNetLoader", Input: "control_net_name", Kind: KindModel, Folder: "controlnet"},
	{Class: "UpscaleModelLoader", Input: "model_name", Kind: KindModel, Folder: "upscale_models"},
	{Class: "StyleModelLoader", Input: "style_model_name", Kind: KindModel, Folder: "style_models"},
	{Class: "GLIGENLoader", Input: "gligen_name", Kind: KindModel, Folder: "gligen"},
	{Class: "HypernetworkLoader", Input: "hypernetwork_name", Kind: KindModel, Folder: "hypernetworks"},
	{Class: "PhotoMakerLoader", Input: "photomaker_model_name", Kind: KindModel, Folder: "photomaker"},
	{Class: "DiffusersLoader", Input: "model_path", Kind: KindModel, Folder: "diffusers"},
	{Class: "ModelPatchLoader", Input: "name", Kind: KindModel, Folder: "model_patches", Name: "model_patch_name"},
	{Class: "AudioEncoderLoader", Input: "audio_encoder_name", Kind: KindModel, Folder: "audio_encoders"},
	{Class: "LatentUpscaleModelLoader", Input: "model_name", Kind: KindModel, Folder: "latent_upscale_models"},
	{Class: "IPAdapterModelLoader", Input: "ipadapter_file", Kind: KindModel, Folder: "ipadapter"},
	{Class: "ADE_AnimateDiffLoaderGen1", Input: "model_name", Kind: KindModel, Folder: "animatediff_models"},
	{Class: "ADE_AnimateDiffLoaderWithContext", Input: "model_name", Kind: KindModel, Folder: "animatediff_models"},
	{Class: "ADE_LoadAnimateDiffModel", Input: "model_name", Kind: KindModel, Folder: "animatediff_models"},
	{Class: "ADE_AnimateDiffLoRALoader", Input: "name", Kind: KindModel, Folder: "animatediff_motion_lora", Name: "motion_lora_name"},
	{Class: "SAMLoader", Input: "model_name", Kind: KindModel, Folder: "sams"},
	{Class: "UltralyticsDetectorProvider", Input: "model_name", Kind: KindModel, Folder: "ultralytics"},

	// Uploads: files in the server's input folder.
	{Class: "LoadImage", Input: "image", Kind: KindUpload},
	{Class: "LoadImageMask", Input: "image", Kind: KindUpload, Name: "mask"},
	{Class: "LoadAudio", Input: "audio", Kind: KindUpload},
	{Class: "LoadVideo", Input: "file", Kind: KindUpload, Name: "video"},
	{Class: "VHS_LoadVideo", Input: "video", Kind: KindUpload},
	{Class: "*", Input: "upload", Kind: KindHidden},
	{Class: "*", Input: "choose file to upload", Kind: KindHidden},

	// Primitive nodes (core, rgthree, easy-use, Comfyroll, Crystools).
	{Class: "PrimitiveInt", Input: "value", Kind: KindPrimitive},
	{Class: "PrimitiveFloat", Input: "value", Kind: KindPrimitive},
	{Class: "PrimitiveString", Input: "value", Kind: KindPrimitive},
	{Class: "PrimitiveStringMultiline", Input: "value", Kind: KindPrimitive},
	{Class: "PrimitiveBoolean", Input: "value", Kind: KindPrimitive},
	{Class: "Seed (rgthree)", Input: "seed", Kind: KindPrimitive, Name: "seed"},
	{Class: "easy seed", Input: "seed", Kind: KindPrimitive, Name: "seed"},
	{Class: "easy int", Input: "value", Kind: KindPrimitive},
	{Class: "easy float", Input: "value", Kind: KindPrimitive},
	{Class: "easy string", Input: "value", Kind: KindPrimitive},
	{Class: "easy boolean", Input: "value", Kind: KindPrimitive},
	{Class: "easy positive", Input: "positive", Kind: KindPrimitive, Name: "prompt"},
	{Class: "easy negative", Input: "negative", Kind: KindPrimitive, Name: "negative_prompt"},
	{Class: "CR Seed", Input: "seed", Kind: KindPrimitive, Name: "seed"},
	{Class: "Int Literal", Input: "int", Kind: KindPrimitive},
	{Class: "Float Literal", Input: "float", Kind: KindPrimitive},
	{Class: "String Literal", Input: "string", Kind: KindPrimitive},
	{Class: "Primitive integer [Crystools]", Input: "int", Kind: KindPrimitive},
	{Class: "Primitive float [Crystools]", Input: "float", Kind: KindPrimitive},
	{Class: "Primitive string [Crystools]", Input: "string", Kind: KindPrimitive},
	{Class: "Primitive string multiline [Crystools]", Input: "string", Kind: KindPrimitive},
	{Class: "Primitive boolean [Crystools]", Input: "boolean", Kind: KindPrimitive},

	// Friendly names that avoid clashes with the main width/height/strength.
	{Class: "ModelSamplingFlux", Input: "width", Name: "sampling_width"},
	{Class: "ModelSamplingFlux", Input: "height", Name: "sampling_height"},
	{Class: "CLIPTextEncodeSDXL", Input: "width", Name: "cond_width"},
	{Class: "CLIPTextEncodeSDXL", Input: "height", Name: "cond_height"},
	{Class: "CLIPTextEncodeSDXL", Input: "crop_w", Name: "cond_crop_w"},
	{Class: "CLIPTextEncodeSDXL", Input: "crop_h", Name: "cond_crop_h"},
	{Class: "CLIPTextEncodeSDXL", Input: "target_width", Name: "cond_target_width"},
	{Class: "CLIPTextEncodeSDXL", Input: "target_height", Name: "cond_target_height"},
	{Class: "CLIPTextEncodeSDXLRefiner", Input: "width", Name: "refiner_width"},
	{Class: "CLIPTextEncodeSDXLRefiner", Input: "height", Name: "refiner_height"},
	{Class: "CLIPTextEncodeSDXLRefiner", Input: "ascore", Name: "aesthetic_score"},
	{Class: "ControlNetApply", Input: "strength", Name: "controlnet_strength"},
	{Class: "ControlNetApplyAdvanced", Input: "strength", Name: "controlnet_strength"},
	{Class: "ControlNetApplyAdvanced", Input: "start_percent", Name: "controlnet_start"},
	{Class: "ControlNetApplyAdvanced", Input: "end_percent", Name: "controlnet_end"},
	{Class: "ControlNetApplySD3", Input: "strength", Name: "controlnet_strength"},
	{Class: "ControlNetApplySD3", Input: "start_percent", Name: "controlnet_start"},
	{Class: "ControlNetApplySD3", Input: "end_percent", Name: "controlnet_end"},
	{Class: "IPAdapterAdvanced", Input: "weight", Name: "ipadapter_weight"},
	{Class: "IPAdapterAdvanced", Input: "weight_type", Name: "ipadapter_weight_type"},
	{Class: "IPAdapterAdvanced", Input: "start_at", Name: "ipadapter_start"},
	{Class: "IPAdapterAdvanced", Input: "end_at", Name: "ipadapter_end"},
	{Class: "IPAdapter", Input: "weight", Name: "ipadapter_weight"},
	{Class: "IPAdapter", Input: "start_at", Name: "ipadapter_start"},
	{Class: "IPAdapter", Input: "end_at", Name: "ipadapter_end"},
	{Class: "IPAdapterUnifiedLoader", Input: "preset", Name: "ipadapter_preset"},
	{Class: "LTXVImgToVideo", Input: "strength", Name: "image_strength"},
	{Class: "LTXVConditioning", Input: "frame_rate", Name: "frame_rate"},
	{Class: "ModelSamplingSD3", Input: "shift", Name: "shift"},
	{Class: "ModelSamplingAuraFlow", Input: "shift", Name: "shift"},
	{Class: "CLIPSetLastLayer", Input: "stop_at_clip_layer", Name: "clip_skip"},
}

type ruleKey struct{ class, input string }

var ruleIndex = func() map[ruleKey]*Rule {
	m := make(map[ruleKey]*Rule, len(Rules))
	for i := range Rules {
		r := &Rules[i]
		if r.Kind == "" {
			r.Kind = KindValue
		}
		m[ruleKey{r.Class, r.Input}] = r
	}
	return m
}()

// ruleFor returns the rule for class.input, falling back to the "*" rows.
func ruleFor(class, input string) *Rule {
	if r, ok := ruleIndex[ruleKey{class, input}]; ok {
		return r
	}
	return ruleIndex[ruleKey{"*", input}]
}

// isEncoder reports whether class is a text encoder in the table.
func isEncoder(class string) bool { return encoderClasses[class] }

var encoderClasses = func() map[string]bool {
	m := map[string]bool{}
	for _, r := range Rules {
		if r.Kind == KindText {
			m[r.Class] = true
		}
	}
	return m
}()
