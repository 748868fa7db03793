package lang

import (
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// ModelFolders are the model folder keys of ComfyUI core (folder_paths.py), its legacy
// aliases and those common custom packs add. A folder outside the list is fine (packs and
// extra_model_paths add their own), unless it is one letter-slip away from a known one.
var ModelFolders = []string{
	"animatediff_models", "animatediff_motion_lora", "audio_encoders", "checkpoints", "classifiers",
	"clip", "clip_vision", "controlnet", "diffusers", "diffusion_models", "embeddings", "gligen",
	"hypernetworks", "ipadapter", "latent_upscale_models", "loras", "model_patches", "photomaker",
	"sams", "style_models", "text_encoders", "ultralytics", "unet", "upscale_models", "vae",
	"vae_approx",
}

// notModelFolders are keys of /models that are not model folders.
var notModelFolders = []string{"configs", "custom_nodes"}

// checkModelFolder reports a literal folder that is not a model folder (error) or is a
// likely typo of a known one (warning).
func checkModelFolder(m *Model) hcl.Diagnostics {
	v, ok := constValue(m.Folder)
	if !ok || v.Type() != cty.String || v.IsNull() {
		return nil
	}
	folder := v.AsString()
	for _, f := range notModelFolders {
		if folder == f {
			return hcl.Diagnostics{{
				Severity: hcl.DiagError,
				Summary:  "Invalid model folder",
				Detail:   fmt.Sprintf("%q is not a model folder. Use one of ComfyUI's model folders, such as checkpoints, loras or vae.", folder),
				Subject:  m.Folder.Range().Ptr(),
			}}
		}
	}
	for _, f := range ModelFolders {
		if folder == f {
			return nil
		}
	}
	if strings.ContainsAny(folder, "/\\:.") {
		return nil // not a folder key at all: checkModelLiterals reports it
	}
	if s := nameSuggestion(folder, ModelFolders); s != "" {
		return hcl.Diagnostics{{
			Severity: hcl.DiagWarning,
			Summary:  "Unknown model folder",
			Detail:   fmt.Sprintf("ComfyUI has no model folder %q unless a custom node pack adds it. Did you mean %q?", folder, s),
			Subject:  m.Folder.Range().Ptr(),
		}}
	}
	return nil
}
