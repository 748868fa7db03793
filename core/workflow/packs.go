package workflow

// PackHint names the Comfy Registry pack that provides custom classes matching a
// pattern, for "unknown class" diagnostics when the server cannot say.
type PackHint struct {
	Prefix, Suffix, Exact string
	Registry              string // Comfy Registry id
	Repo                  string // git repository
}

// PackHints is checked in order; the first match wins.
var PackHints = []PackHint{
	{Suffix: " (rgthree)", Registry: "rgthree-comfy", Repo: "https://github.com/rgthree/rgthree-comfy"},
	{Prefix: "easy ", Registry: "comfyui-easy-use", Repo: "https://github.com/yolain/ComfyUI-Easy-Use"},
	{Prefix: "ADE_", Registry: "comfyui-animatediff-evolved", Repo: "https://github.com/Kosinkadink/ComfyUI-AnimateDiff-Evolved"},
	{Prefix: "VHS_", Registry: "comfyui-videohelpersuite", Repo: "https://github.com/Kosinkadink/ComfyUI-VideoHelperSuite"},
	{Prefix: "IPAdapter", Registry: "comfyui_ipadapter_plus", Repo: "https://github.com/cubiq/ComfyUI_IPAdapter_plus"},
	{Suffix: "GGUF", Registry: "comfyui-gguf", Repo: "https://github.com/city96/ComfyUI-GGUF"},
	{Suffix: "[Crystools]", Registry: "comfyui-crystools", Repo: "https://github.com/crystian/ComfyUI-Crystools"},
	{Prefix: "CR ", Registry: "comfyroll", Repo: "https://github.com/Suzie1/ComfyUI_Comfyroll_CustomNodes"},
	{Prefix: "Impact", Registry: "comfyui-impact-pack", Repo: "https://github.com/ltdrdata/ComfyUI-Impact-Pack"},
	{Exact: "DetailerForEachPipe", Registry: "comfyui-impact-pack", Repo: "https://github.com/ltdrdata/ComfyUI-Impact-Pack"},
	{Exact: "ToBasicPipe", Registry: "comfyui-impact-pack", Repo: "https://github.com/ltdrdata/ComfyUI-Impact-Pack"},
	{Exact: "SAMLoader", Registry: "comfyui-impact-pack", Repo: "https://github.com/ltdrdata/ComfyUI-Impact-Pack"},
	{Exact: "UltralyticsDetectorProvider", Registry: "comfyui-impact-subpack", Repo: "https://github.com/ltdrdata/ComfyUI-Impact-Subpack"},
	{Suffix: "KJ", Registry: "comfyui-kjnodes", Repo: "https://github.com/kijai/ComfyUI-KJNodes"},
	{Suffix: "KJv2", Registry: "comfyui-kjnodes", Repo: "https://github.com/kijai/ComfyUI-KJNodes"},
	{Exact: "GetNode", Registry: "comfyui-kjnodes", Repo: "https://github.com/kijai/ComfyUI-KJNodes"},
	{Exact: "SetNode", Registry: "comfyui-kjnodes", Repo: "https://github.com/kijai/ComfyUI-KJNodes"},
	{Suffix: "Preprocessor", Registry: "comfyui_controlnet_aux", Repo: "https://github.com/Fannovel16/comfyui_controlnet_aux"},
	{Suffix: "+", Registry: "comfyui_essentials", Repo: "https://github.com/cubiq/ComfyUI_essentials"},
	{Prefix: "WanVideo", Registry: "comfyui-wanvideowrapper", Repo: "https://github.com/kijai/ComfyUI-WanVideoWrapper"},
}

// packFor returns the hint for class, or nil.
func packFor(class string) *PackHint {
	for i := range PackHints {
		h := &PackHints[i]
		switch {
		case h.Exact != "" && class == h.Exact,
			h.Prefix != "" && len(class) >= len(h.Prefix) && class[:len(h.Prefix)] == h.Prefix,
			h.Suffix != "" && len(class) >= len(h.Suffix) && class[len(class)-len(h.Suffix):] == h.Suffix:
			return h
		}
	}
	return nil
}
