package comfysim

import (
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// modelFolders is ComfyUI 0.3.64's folder_names_and_paths, in /models order
// (fixture models.json). dirs are the subdirectories of ModelsDir searched
// (legacy aliases included), exts the accepted extensions (nil = any file).
var modelFolders = []struct {
	name string
	dirs []string
	exts []string
}{
	{"checkpoints", []string{"checkpoints"}, ptExts},
	{"configs", []string{"configs"}, []string{".yaml"}},
	{"loras", []string{"loras"}, ptExts},
	{"vae", []string{"vae"}, ptExts},
	{"text_encoders", []string{"text_encoders", "clip"}, ptExts},
	{"diffusion_models", []string{"unet", "diffusion_models"}, ptExts},
	{"clip_vision", []string{"clip_vision"}, ptExts},
	{"style_models", []string{"style_models"}, ptExts},
	{"embeddings", []string{"embeddings"}, ptExts},
	{"diffusers", []string{"diffusers"}, nil},
	{"vae_approx", []string{"vae_approx"}, ptExts},
	{"controlnet", []string{"controlnet", "t2i_adapter"}, ptExts},
	{"gligen", []string{"gligen"}, ptExts},
	{"upscale_models", []string{"upscale_models"}, ptExts},
	{"custom_nodes", []string{"../custom_nodes"}, nil},
	{"hypernetworks", []string{"hypernetworks"}, ptExts},
	{"photomaker", []string{"photomaker"}, ptExts},
	{"classifiers", []string{"classifiers"}, nil},
	{"model_patches", []string{"model_patches"}, ptExts},
	{"audio_encoders", []string{"audio_encoders"}, ptExts},
}

var ptExts = []string{".ckpt", ".pt", ".pt2", ".bin", ".pth", ".safetensors", ".pkl", ".sft"}

func folderIndex(name string) int {
	for i, f := range modelFolders {
		if f.name == name {
			return i
		}
	}
	return -1
}

// listModels lists a model folder live: relative paths with '/', sorted,
// deduplicated across the folder's directories, like get_filename_list.
func (s *Server) listModels(folder string) []string {
	i := folderIndex(folder)
	if i < 0 {
		return nil
	}
	f := modelFolders[i]
	seen := map[string]bool{}
	out := []string{}
	for _, d := range f.dirs {
		root := filepath.Join(s.modelsDir, d)
		_ = filepath.WalkDir(root, func(p string, de fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if de.IsDir() {
				if p != root && strings.HasPrefix(de.Name(), ".") {
					return filepath.SkipDir
				}
				return nil
			}
			rel, err := filepath.Rel(root, p)
			if err != nil {
				return nil
			}
			rel = filepath.ToSlash(rel)
			if f.exts != nil && !hasExt(rel, f.exts) {
				return nil
			}
			if strings.HasSuffix(rel, ".part") || strings.HasPrefix(filepath.Base(rel), ".") {
				return nil
			}
			if !seen[rel] {
				seen[rel] = true
				out = append(out, rel)
			}
			return nil
		})
	}
	sort.Strings(out)
	return out
}

func hasExt(name string, exts []string) bool {
	e := strings.ToLower(filepath.Ext(name))
	for _, x := range exts {
		if e == x {
			return true
		}
	}
	return false
}

// modelExists reports whether name is a file of folder (what loaders check).
func (s *Server) modelExists(folder, name string) bool {
	for _, m := range s.listModels(folder) {
		if m == name {
			return true
		}
	}
	return false
}

// inputImages is LoadImage's list: top-level files of input/ with an image
// extension, sorted.
func (s *Server) inputImages() []string {
	ents, err := os.ReadDir(s.inputDir)
	out := []string{}
	if err != nil {
		return out
	}
	for _, e := range ents {
		if e.Type().IsRegular() && isImageName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out
}

func isImageName(n string) bool {
	switch strings.ToLower(filepath.Ext(n)) {
	case ".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp", ".tif", ".tiff", ".avif":
		return true
	}
	return false
}

func (s *Server) handleModels(w http.ResponseWriter, r *http.Request) {
	names := make([]string, len(modelFolders))
	for i, f := range modelFolders {
		names[i] = f.name
	}
	writeJSON(w, 200, names)
}

func (s *Server) handleModelsFolder(w http.ResponseWriter, r *http.Request) {
	folder := r.PathValue("folder")
	if folderIndex(folder) < 0 {
		writeEmpty(w, http.StatusNotFound)
		return
	}
	writeJSON(w, 200, s.listModels(folder))
}

func (s *Server) handleEmbeddings(w http.ResponseWriter, r *http.Request) {
	out := []string{}
	for _, n := range s.listModels("embeddings") {
		out = append(out, strings.TrimSuffix(n, filepath.Ext(n)))
	}
	writeJSON(w, 200, out)
}

// placeholderSafetensors is a minimal valid safetensors file (empty header
// with metadata) used for the default checkpoint.
func placeholderSafetensors() []byte {
	hdr := []byte(`{"__metadata__":{"comfysim":"placeholder"}}`)
	for len(hdr)%8 != 0 {
		hdr = append(hdr, ' ')
	}
	b := make([]byte, 8, 8+len(hdr))
	n := uint64(len(hdr))
	for i := 0; i < 8; i++ {
		b[i] = byte(n >> (8 * i))
	}
	return append(b, hdr...)
}
