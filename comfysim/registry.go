package comfysim

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"time"
)

// A Comfy Registry (api.comfy.org) under /registry, and a git-free pack
// source (/registry/git/<owner>/<repo>/archive/<ref>.zip, GitHub's archive
// layout), so node pack installs run end to end on loopback.

// RegistryPack is a node pack the simulated registry publishes. Each class
// is an IMAGE -> IMAGE node (python_module custom_nodes.<dir>) once the
// pack is installed under custom_nodes/ and the server restarted.
type RegistryPack struct {
	ID         string   // registry id, e.g. "comfysim-blur-pack"
	Versions   []string // semver, oldest first; the last is latest
	Classes    []string // node classes the pack provides
	Repository string   // git URL (https://github.com/<owner>/<repo>)
	// ObjectInfo optionally gives real NodeInfo entries {Class: NodeInfo}
	// for some of Classes; the others get the generic IMAGE -> IMAGE entry.
	ObjectInfo json.RawMessage
}

// DefaultRegistryPacks is what the registry serves when Options.RegistryPacks is nil.
var DefaultRegistryPacks = []RegistryPack{
	{ID: "comfysim-blur-pack", Versions: []string{"1.0.0", "1.1.0"}, Classes: []string{"SimBlur", "SimSharpen"}, Repository: "https://github.com/comfysim/comfysim-blur-pack"},
	{ID: "comfysim-color-pack", Versions: []string{"0.2.0"}, Classes: []string{"SimColorize"}, Repository: "https://github.com/comfysim/comfysim-color-pack"},
}

// RegistryURL is the base URL of the simulated Comfy Registry.
func (s *Server) RegistryURL() string { return s.url + "/registry" }

func (s *Server) packs() []RegistryPack {
	if s.opts.RegistryPacks != nil {
		return s.opts.RegistryPacks
	}
	return DefaultRegistryPacks
}

func (s *Server) pack(id string) (RegistryPack, bool) {
	for _, p := range s.packs() {
		if p.ID == id {
			return p, true
		}
	}
	return RegistryPack{}, false
}

var registryEpoch = time.Date(2025, 9, 1, 12, 0, 0, 0, time.UTC)

func (s *Server) nodeVersion(p RegistryPack, v string) map[string]any {
	return map[string]any{
		"id": fmt.Sprintf("%016x", hashString(p.ID+"@"+v)), "version": v, "changelog": "comfysim release " + v,
		"dependencies": []string{}, "downloadUrl": s.RegistryURL() + "/download/" + p.ID + "/" + v + ".zip",
		"deprecated": false, "status": "NodeVersionStatusActive", "createdAt": registryEpoch.Format(time.RFC3339), "node_id": p.ID,
	}
}

func (s *Server) registryNode(p RegistryPack) map[string]any {
	return map[string]any{
		"id": p.ID, "name": p.ID, "description": "A comfysim test pack providing " + strings.Join(p.Classes, ", "),
		"author": "comfysim", "license": "MIT", "icon": "", "repository": p.Repository, "tags": []string{"comfysim"},
		"latest_version": s.nodeVersion(p, p.Versions[len(p.Versions)-1]), "rating": 0, "downloads": 0,
		"publisher": map[string]any{"id": "comfysim", "name": "comfysim"}, "status": "NodeStatusActive",
	}
}

func (s *Server) registryRoutes(mux *http.ServeMux) {
	h := func(pattern string, fn http.HandlerFunc) { mux.HandleFunc(pattern, s.counted(pattern, fn)) }
	h("GET /registry/nodes", func(w http.ResponseWriter, r *http.Request) {
		nodes := []any{}
		for _, p := range s.packs() {
			nodes = append(nodes, s.registryNode(p))
		}
		writeJSON(w, 200, map[string]any{"total": len(nodes), "nodes": nodes, "page": 1, "limit": max(len(nodes), 1), "totalPages": 1})
	})
	h("GET /registry/nodes/{id}", func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.pack(r.PathValue("id"))
		if !ok {
			writeJSON(w, 404, map[string]any{"message": "Node not found"})
			return
		}
		writeJSON(w, 200, s.registryNode(p))
	})
	h("GET /registry/nodes/{id}/versions", func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.pack(r.PathValue("id"))
		if !ok {
			writeJSON(w, 404, map[string]any{"message": "Node not found"})
			return
		}
		out := []any{}
		for i := len(p.Versions) - 1; i >= 0; i-- {
			out = append(out, s.nodeVersion(p, p.Versions[i]))
		}
		writeJSON(w, 200, out)
	})
	h("GET /registry/nodes/{id}/install", func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.pack(r.PathValue("id"))
		if !ok {
			writeJSON(w, 404, map[string]any{"message": "Node not found"})
			return
		}
		v := r.URL.Query().Get("version")
		if v == "" {
			v = p.Versions[len(p.Versions)-1]
		}
		if !semverRe.MatchString(v) {
			writeJSON(w, 400, map[string]any{"message": "Invalid version " + v})
			return
		}
		if !contains(p.Versions, v) {
			writeJSON(w, 404, map[string]any{"message": "Node version not found"})
			return
		}
		writeJSON(w, 200, s.nodeVersion(p, v))
	})
	h("GET /registry/comfy-nodes/{name}/node", func(w http.ResponseWriter, r *http.Request) {
		for _, p := range s.packs() {
			if contains(p.Classes, r.PathValue("name")) {
				writeJSON(w, 200, s.registryNode(p))
				return
			}
		}
		writeJSON(w, 404, map[string]any{"message": "Comfy node not found"})
	})
	h("GET /registry/download/{id}/{file}", func(w http.ResponseWriter, r *http.Request) {
		p, ok := s.pack(r.PathValue("id"))
		v := strings.TrimSuffix(r.PathValue("file"), ".zip")
		if !ok || !contains(p.Versions, v) {
			writeEmpty(w, 404)
			return
		}
		s.serveZip(w, r, p.ID+"-"+v+".zip", packZip(p, v, ""))
	})
	h("GET /registry/git/{owner}/{repo}/archive/{ref}", func(w http.ResponseWriter, r *http.Request) {
		repo, ref := r.PathValue("repo"), strings.TrimSuffix(r.PathValue("ref"), ".zip")
		for _, p := range s.packs() {
			if strings.TrimSuffix(p.Repository, ".git") == "https://github.com/"+r.PathValue("owner")+"/"+repo {
				s.serveZip(w, r, repo+"-"+ref+".zip", packZip(p, ref, repo+"-"+ref+"/"))
				return
			}
		}
		writeEmpty(w, 404)
	})
}

var semverRe = regexp.MustCompile(`^v?\d+\.\d+\.\d+([-+][0-9A-Za-z.-]+)?$`)

func (s *Server) serveZip(w http.ResponseWriter, r *http.Request, name string, data []byte) {
	w, ok := s.faultyDownload(w)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	http.ServeContent(w, r, name, registryEpoch, bytes.NewReader(data))
}

// packManifest is comfysim.json inside a pack: what the simulator loads
// from custom_nodes/<dir>/ at start and on restart.
type packManifest struct {
	ID         string          `json:"id"`
	Version    string          `json:"version"`
	Classes    []string        `json:"classes"`
	ObjectInfo json.RawMessage `json:"object_info,omitempty"`
}

// packZip builds the pack archive deterministically (fixed times, sorted
// entries): pyproject.toml, __init__.py, requirements.txt, comfysim.json.
func packZip(p RegistryPack, version, prefix string) []byte {
	man, _ := json.MarshalIndent(packManifest{ID: p.ID, Version: version, Classes: p.Classes, ObjectInfo: p.ObjectInfo}, "", "  ")
	var py strings.Builder
	py.WriteString("# comfysim test pack: the simulator reads comfysim.json, Python never runs.\nNODE_CLASS_MAPPINGS = {}\n")
	for _, c := range p.Classes {
		fmt.Fprintf(&py, "NODE_CLASS_MAPPINGS[%q] = None\n", c)
	}
	files := map[string]string{
		"pyproject.toml":   fmt.Sprintf("[project]\nname = %q\nversion = %q\ndescription = \"comfysim test pack\"\n\n[tool.comfy]\nPublisherId = \"comfysim\"\n", p.ID, strings.TrimPrefix(version, "v")),
		"__init__.py":      py.String(),
		"requirements.txt": "",
		"comfysim.json":    string(man) + "\n",
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range names {
		fw, _ := zw.CreateHeader(&zip.FileHeader{Name: prefix + n, Method: zip.Deflate, Modified: registryEpoch})
		_, _ = fw.Write([]byte(files[n]))
	}
	_ = zw.Close()
	return buf.Bytes()
}
