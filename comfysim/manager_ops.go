package comfysim

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

func (s *Server) runManagerTask(t *managerTask) error {
	p := t.Params
	str := func(k string) string { v, _ := p[k].(string); return v }
	switch t.Kind {
	case "install", "update", "fix", "reinstall":
		return s.installPack(str("id"), firstNonEmpty(str("selected_version"), str("version"), str("node_ver")), firstNonEmpty(str("repository"), firstString(p["files"])))
	case "uninstall":
		return s.removePackDir(firstNonEmpty(str("node_name"), str("id")))
	case "disable":
		name := firstNonEmpty(str("node_name"), str("id"))
		if name == "" {
			return errors.New("no node_name")
		}
		_ = os.MkdirAll(filepath.Join(s.customDir, ".disabled"), 0o755)
		return os.Rename(filepath.Join(s.customDir, name), filepath.Join(s.customDir, ".disabled", name))
	case "enable":
		name := firstNonEmpty(str("cnr_id"), str("node_name"), str("id"))
		return os.Rename(filepath.Join(s.customDir, ".disabled", name), filepath.Join(s.customDir, name))
	case "install-model":
		return s.installModel(p)
	case "update-comfyui":
		return nil
	}
	return fmt.Errorf("unsupported task kind %q", t.Kind)
}

func firstNonEmpty(v ...string) string {
	for _, x := range v {
		if x != "" {
			return x
		}
	}
	return ""
}

func firstString(v any) string {
	if l, ok := v.([]any); ok && len(l) > 0 {
		s, _ := l[0].(string)
		return s
	}
	return ""
}

// installPack installs a registry pack (semver, "latest") into
// custom_nodes/<id>, or a git pack ("nightly"/"unknown" + repository URL)
// into custom_nodes/<repo>.
func (s *Server) installPack(id, version, repo string) error {
	if version == "nightly" || version == "unknown" || (id == "" && repo != "") {
		for _, p := range s.packs() {
			if repo != "" && strings.TrimSuffix(p.Repository, ".git") == strings.TrimSuffix(repo, ".git") {
				return s.extractPack(path.Base(strings.TrimSuffix(repo, ".git")), packZip(p, "nightly", ""))
			}
		}
		return fmt.Errorf("cannot clone %q: repository not found", repo)
	}
	p, ok := s.pack(id)
	if !ok {
		return fmt.Errorf("node pack %q not found in the registry", id)
	}
	if version == "" || version == "latest" {
		version = p.Versions[len(p.Versions)-1]
	}
	if !contains(p.Versions, version) {
		return fmt.Errorf("version %s of %s not found", version, id)
	}
	return s.extractPack(p.ID, packZip(p, version, ""))
}

func (s *Server) extractPack(dir string, data []byte) error {
	if dir == "" || strings.ContainsAny(dir, `/\`) || dir == "." || dir == ".." {
		return fmt.Errorf("bad pack directory %q", dir)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return err
	}
	dst := filepath.Join(s.customDir, dir)
	if err := os.RemoveAll(dst); err != nil {
		return err
	}
	var names []string
	for _, f := range zr.File {
		target := filepath.Join(dst, filepath.FromSlash(f.Name))
		if !within(dst, target) {
			return fmt.Errorf("zip entry %q escapes the pack", f.Name)
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		rc, err := f.Open()
		if err != nil {
			return err
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
		if err := os.WriteFile(target, b, 0o644); err != nil {
			return err
		}
		names = append(names, f.Name)
	}
	return os.WriteFile(filepath.Join(dst, ".tracking"), []byte(strings.Join(names, "\n")+"\n"), 0o644)
}

func (s *Server) removePackDir(name string) error {
	if name == "" || strings.ContainsAny(name, `/\`) || name == "." || name == ".." {
		return fmt.Errorf("bad node_name %q", name)
	}
	for _, d := range []string{filepath.Join(s.customDir, name), filepath.Join(s.customDir, ".disabled", name)} {
		if err := os.RemoveAll(d); err != nil {
			return err
		}
	}
	return nil
}

// managerModelAllowed is Manager's whitelist: only files of this
// simulator's model host may be installed.
func (s *Server) managerModelAllowed(p map[string]any) bool {
	u, _ := p["url"].(string)
	return strings.HasPrefix(u, s.url+"/files/")
}

var modelTypeFolders = map[string]string{
	"checkpoint": "checkpoints", "checkpoints": "checkpoints", "lora": "loras", "loras": "loras", "vae": "vae",
	"unet": "diffusion_models", "diffusion_model": "diffusion_models", "clip": "text_encoders", "text_encoders": "text_encoders",
	"controlnet": "controlnet", "upscale": "upscale_models", "embeddings": "embeddings", "TAESD": "vae_approx",
}

func (s *Server) installModel(p map[string]any) error {
	str := func(k string) string { v, _ := p[k].(string); return v }
	u, err := url.Parse(str("url"))
	if err != nil {
		return err
	}
	rest := strings.TrimPrefix(u.Path, "/files/")
	sizeStr, name, ok := strings.Cut(rest, "/")
	size, err := strconv.ParseInt(sizeStr, 10, 64)
	if !ok || err != nil {
		return fmt.Errorf("not a model host URL: %s", u)
	}
	folder := str("save_path")
	if folder == "" || folder == "default" {
		folder = modelTypeFolders[str("type")]
		if folder == "" {
			folder = "checkpoints"
		}
	}
	filename := firstNonEmpty(str("filename"), path.Base(name))
	target := filepath.Join(s.modelsDir, filepath.FromSlash(folder), filepath.FromSlash(filename))
	if !within(s.modelsDir, target) {
		return fmt.Errorf("save_path %q escapes the models directory", folder)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	f, err := os.Create(target + ".part")
	if err != nil {
		return err
	}
	_, err = io.Copy(f, io.NewSectionReader(newModelContent(name, size, u.Query().Get("corrupt") == "1"), 0, size))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return os.Rename(target+".part", target)
}

// installedOnDisk lists custom_nodes/ (and .disabled/) as Manager does.
func (s *Server) installedOnDisk() map[string]any {
	out := map[string]any{}
	scan := func(dir string, enabled bool) {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if !e.IsDir() || strings.HasPrefix(e.Name(), ".") || e.Name() == "__pycache__" {
				continue
			}
			var m packManifest
			b, err := os.ReadFile(filepath.Join(dir, e.Name(), "comfysim.json"))
			if err == nil {
				_ = json.Unmarshal(b, &m)
			}
			var aux any
			cnr := m.ID
			if m.Version == "nightly" || cnr == "" {
				if p, ok := s.pack(m.ID); ok {
					aux = strings.TrimPrefix(p.Repository, "https://github.com/")
				}
				cnr = ""
			}
			out[e.Name()] = map[string]any{"ver": firstNonEmpty(m.Version, "unknown"), "cnr_id": cnr, "aux_id": aux, "enabled": enabled}
		}
	}
	scan(s.customDir, true)
	scan(filepath.Join(s.customDir, ".disabled"), false)
	return out
}

func (s *Server) handleManagerInstalled(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, s.installedOnDisk())
}

func (s *Server) handleManagerGetList(w http.ResponseWriter, r *http.Request) {
	inst := s.installedOnDisk()
	packs := map[string]any{}
	for _, p := range s.packs() {
		state := "not-installed"
		if e, ok := inst[p.ID].(map[string]any); ok {
			state = "installed"
			if e["enabled"] == false {
				state = "disabled"
			}
		}
		packs[p.ID] = map[string]any{"title": p.ID, "author": "comfysim", "reference": p.Repository, "files": []string{p.Repository},
			"install_type": "cnr", "description": "comfysim test pack", "state": state, "version": p.Versions[len(p.Versions)-1],
			"cnr_latest": p.Versions[len(p.Versions)-1], "id": p.ID}
	}
	writeJSON(w, 200, map[string]any{"channel": "default", "node_packs": packs})
}

func (s *Server) handleManagerMappings(w http.ResponseWriter, r *http.Request) {
	out := map[string]any{}
	for _, p := range s.packs() {
		cl := append([]string(nil), p.Classes...)
		sort.Strings(cl)
		out[p.ID] = []any{cl, map[string]any{"title_aux": p.ID}}
	}
	writeJSON(w, 200, out)
}
