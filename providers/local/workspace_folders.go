package local

import (
	"os"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// folderDirs are the directories under models/ that ComfyUI searches for a folder key,
// in its order (folder_paths.py; comfyui-api.md §5). Keys not listed (including the
// keys custom packs add) are one directory of the same name.
var folderDirs = map[string][]string{
	"text_encoders":    {"text_encoders", "clip"},
	"clip":             {"text_encoders", "clip"},
	"diffusion_models": {"unet", "diffusion_models"},
	"unet":             {"unet", "diffusion_models"},
	"controlnet":       {"controlnet", "t2i_adapter"},
}

// locateModel returns the workspace-relative path of a model block's file. When the
// file already sits in another directory ComfyUI searches for the folder (models/unet/
// for diffusion_models, models/clip/ for text_encoders), that copy is the one the server
// loads, so it is the one planned, hashed and replaced; otherwise the declared
// models/<folder>/<file>.
func locateModel(ws string, m plugins.ModelSpec) (string, plugins.Diagnostics) {
	rel, diags := modelPath(m)
	if diags.HasErrors() {
		return "", diags
	}
	if _, err := os.Lstat(filepath.Join(ws, filepath.FromSlash(rel))); err == nil {
		return rel, nil
	}
	fileParts, _ := cleanRelPath(m.File) // validated by modelPath
	for _, dir := range folderDirs[strings.Trim(m.Folder, "/")] {
		alt := strings.Join(append([]string{"models", dir}, fileParts...), "/")
		if fi, err := os.Stat(filepath.Join(ws, filepath.FromSlash(alt))); err == nil && fi.Mode().IsRegular() {
			return alt, nil
		}
	}
	return rel, nil
}
