package local

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// DefaultRegistryURL is the public Comfy Registry API.
const DefaultRegistryURL = "https://api.comfy.org"

// settings is a copy of the configuration, taken under the lock.
func (p *Provider) settings() Config {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cfg
}

// workspaceDir is the configured ComfyUI directory with ~ expanded, or "" when the
// provider has none (then installs go through ComfyUI-Manager or are refused).
func (p *Provider) workspaceDir() (string, error) {
	ws := p.settings().Workspace
	if ws == "" {
		return "", nil
	}
	if ws == "~" || strings.HasPrefix(ws, "~/") {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("cannot expand ~ in workspace %q: %w; write the workspace as an absolute path", ws, err)
		}
		ws = filepath.Join(home, ws[1:])
	}
	abs, err := filepath.Abs(ws)
	if err != nil {
		return "", err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return "", fmt.Errorf("workspace %s: %w; set `workspace` in the provider \"local\" block to the ComfyUI directory (the one holding main.py and models/)", abs, err)
	}
	if !fi.IsDir() {
		return "", fmt.Errorf("workspace %s is not a directory; set `workspace` to the ComfyUI directory", abs)
	}
	return abs, nil
}

func (p *Provider) registryURL() string {
	if u := p.settings().RegistryURL; u != "" {
		return strings.TrimRight(u, "/")
	}
	return DefaultRegistryURL
}

// cleanRelPath validates a path the configuration (or an archive) names below a root and
// returns its slash-separated components. Subdirectories are allowed; absolute paths,
// drive letters, ".." and control characters are refused. Backslashes count as
// separators, as they do on a Windows server.
func cleanRelPath(p string) ([]string, error) {
	s := strings.ReplaceAll(p, `\`, "/")
	switch {
	case strings.TrimSpace(s) == "":
		return nil, errors.New("is empty")
	case strings.HasPrefix(s, "/"):
		return nil, errors.New("is absolute; give it relative to its folder")
	case len(s) >= 2 && s[1] == ':':
		return nil, errors.New("has a drive letter; give it relative to its folder")
	}
	var parts []string
	for _, c := range strings.Split(s, "/") {
		switch c {
		case "", ".":
			continue
		case "..":
			return nil, errors.New(`contains ".." (it would leave its folder)`)
		}
		if strings.Trim(c, ". ") == "" { // Windows reads ".. " or "..." as ".."
			return nil, fmt.Errorf("has a component %q of only dots and spaces", c)
		}
		for _, r := range c {
			if r < 0x20 || r == 0x7f {
				return nil, errors.New("contains a control character")
			}
		}
		parts = append(parts, c)
	}
	if len(parts) == 0 {
		return nil, errors.New("names no file")
	}
	return parts, nil
}

// modelRelPath is "models/<folder>/<file>" (slash-separated) for a model block.
func modelRelPath(folder, file string) (string, error) {
	fp, err := cleanRelPath(folder)
	if err != nil {
		return "", fmt.Errorf("folder %q %w", folder, err)
	}
	ff, err := cleanRelPath(file)
	if err != nil {
		return "", fmt.Errorf("file %q %w", file, err)
	}
	return strings.Join(append(append([]string{"models"}, fp...), ff...), "/"), nil
}

// within reports whether p is root or below it (both cleaned, absolute).
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
