package local

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// extraModelPathsFile is ComfyUI's optional map of model folders outside models/, read
// from its base directory (utils/extra_config.py). A setup sharing models with another
// UI keeps its checkpoints there; comfyhcl must find them rather than download a copy.
const extraModelPathsFile = "extra_model_paths.yaml"

// legacyKeys are the renamed folder keys ComfyUI still accepts in the file.
var legacyKeys = map[string]string{"unet": "diffusion_models", "clip": "text_encoders"}

// extraModelDirs returns the directories extra_model_paths.yaml adds for a folder key:
// those of is_default sections (searched first, and where installs go) and the others
// (searched after models/). A missing or unreadable file adds nothing.
func extraModelDirs(ws, folder string) (defaults, extras []string) {
	b, err := os.ReadFile(filepath.Join(ws, extraModelPathsFile))
	if err != nil {
		return nil, nil
	}
	var doc yaml.Node
	if yaml.Unmarshal(b, &doc) != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, nil
	}
	want := canonicalKey(folder)
	top := doc.Content[0]
	for i := 0; i+1 < len(top.Content); i += 2 {
		section := top.Content[i+1]
		if section.Kind != yaml.MappingNode {
			continue
		}
		base, isDefault := ws, false
		var paths []string
		for j := 0; j+1 < len(section.Content); j += 2 {
			key, val := section.Content[j].Value, section.Content[j+1]
			switch {
			case key == "base_path":
				base = expandBase(ws, val.Value)
			case key == "is_default":
				isDefault = val.Value == "true" || val.Value == "True"
			case canonicalKey(key) == want && val.Kind == yaml.ScalarNode:
				for _, line := range strings.Split(val.Value, "\n") {
					if line = strings.TrimSpace(line); line != "" {
						paths = append(paths, line)
					}
				}
			}
		}
		for _, p := range paths {
			p = expandHome(p)
			if !filepath.IsAbs(p) {
				p = filepath.Join(base, p)
			}
			if isDefault {
				defaults = append(defaults, filepath.Clean(p))
			} else {
				extras = append(extras, filepath.Clean(p))
			}
		}
	}
	return defaults, extras
}

func canonicalKey(k string) string {
	if c, ok := legacyKeys[k]; ok {
		return c
	}
	return k
}

// expandBase resolves base_path as ComfyUI does: ~ and environment variables expanded,
// relative paths taken from the file's directory.
func expandBase(ws, p string) string {
	p = expandHome(os.ExpandEnv(p))
	if !filepath.IsAbs(p) {
		p = filepath.Join(ws, p)
	}
	return p
}

func expandHome(p string) string {
	if p == "~" || strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			return filepath.Join(home, p[1:])
		}
	}
	return p
}
