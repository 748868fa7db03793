package comfysim

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// handleUploadImage is server.py image_upload (1.9): rename on collision
// ("name (1).png"), reuse the name when the content is identical,
// overwrite only with "true"/"1".
func (s *Server) handleUploadImage(w http.ResponseWriter, r *http.Request) {
	s.imageUpload(w, r, nil)
}

// saveFunc replaces the plain write (upload/mask); a non-zero status aborts.
type saveFunc func(data []byte, target string) int

func (s *Server) imageUpload(w http.ResponseWriter, r *http.Request, save saveFunc) {
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		writeEmpty(w, 400)
		return
	}
	file, hdr, err := r.FormFile("image")
	if err != nil {
		writeEmpty(w, 400)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(file)
	if err != nil {
		writeText500(w)
		return
	}
	typ := "input"
	if vs, ok := r.MultipartForm.Value["type"]; ok && len(vs) > 0 {
		typ = vs[0]
	}
	dir := s.dirFor(typ)
	if dir == "" {
		writeText500(w) // CORE-2510 crashes on an unknown type (unbound variable)
		return
	}
	filename := hdr.Filename
	if filename == "" {
		writeEmpty(w, 400)
		return
	}
	subfolder := r.FormValue("subfolder")
	full := filepath.Join(dir, filepath.Clean(filepath.FromSlash(subfolder)))
	target := filepath.Join(full, filepath.FromSlash(filename))
	if filepath.IsAbs(filepath.FromSlash(filename)) || !within(dir, target) || target == dir {
		writeEmpty(w, 400)
		return
	}
	if err := os.MkdirAll(full, 0o755); err != nil {
		writeText500(w)
		return
	}
	overwrite := r.FormValue("overwrite")
	duplicate := false
	if overwrite != "true" && overwrite != "1" {
		ext := filepath.Ext(filename)
		stem := strings.TrimSuffix(filename, ext)
		for i := 1; fileExists(target) || dirExists(target); i++ {
			if sameContent(target, data) {
				duplicate = true
				break
			}
			filename = fmt.Sprintf("%s (%d)%s", stem, i, ext)
			target = filepath.Join(full, filepath.FromSlash(filename))
		}
	}
	if !duplicate && save != nil {
		if code := save(data, target); code != 0 {
			writeEmpty(w, code)
			return
		}
	} else if !duplicate {
		if err := os.WriteFile(target, data, 0o644); err != nil {
			writeText500(w)
			return
		}
	}
	resp := newOmap()
	resp.set("name", filename)
	resp.set("subfolder", subfolder)
	resp.set("type", typ)
	writeJSON(w, 200, resp)
}

func dirExists(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

func sameContent(path string, data []byte) bool {
	b, err := os.ReadFile(path)
	if err != nil {
		return false
	}
	a, c := sha256.Sum256(b), sha256.Sum256(data)
	return bytes.Equal(a[:], c[:])
}
