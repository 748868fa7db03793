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

// locateModel returns where a model block's file is, as a cache key: a slash-separated
// path relative to the workspace, or an absolute path for directories outside it (from
// extra_model_paths.yaml). When the file already sits in a directory ComfyUI searches
// for the folder (models/unet/ for diffusion_models, an extra path of the same key),
// that copy is the one the server loads, so it is the one planned, hashed and replaced.
// Otherwise it is the declared models/<folder>/<file>, or the first path of an
// is_default section of extra_model_paths.yaml, where ComfyUI installs too.
func locateModel(ws string, m plugins.ModelSpec) (string, plugins.Diagnostics) {
	rel, diags := modelPath(m)
	if diags.HasErrors() {
		return "", diags
	}
	if _, err := os.Lstat(keyPath(ws, rel)); err == nil {
		return rel, nil
	}
	fileParts, _ := cleanRelPath(m.File) // validated by modelPath
	folder := strings.Trim(m.Folder, "/")
	var dirs []string
	for _, d := range folderDirs[folder] {
		dirs = append(dirs, filepath.Join(ws, "models", d))
	}
	defaults, extras := extraModelDirs(ws, folder)
	dirs = append(append(defaults, dirs...), extras...)
	for _, dir := range dirs {
		p := filepath.Join(append([]string{dir}, fileParts...)...)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return pathKey(ws, p), nil
		}
	}
	if len(defaults) > 0 {
		return pathKey(ws, filepath.Join(append([]string{defaults[0]}, fileParts...)...)), nil
	}
	return rel, nil
}

// keyPath turns a cache key back into a path.
func keyPath(ws, key string) string {
	if filepath.IsAbs(key) {
		return key
	}
	return filepath.Join(ws, filepath.FromSlash(key))
}

func pathKey(ws, p string) string {
	if rel, err := filepath.Rel(ws, p); err == nil && within(ws, p) {
		return filepath.ToSlash(rel)
	}
	return p
}
