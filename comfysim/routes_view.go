package comfysim

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// handleView is server.py view_image, guards in the same order (1.8).
func (s *Server) handleView(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if !q.Has("filename") {
		writeEmpty(w, 404)
		return
	}
	filename, dir := q.Get("filename"), ""
	for _, t := range []string{"input", "output", "temp"} {
		if strings.HasSuffix(filename, " ["+t+"]") {
			filename, dir = strings.TrimSuffix(filename, " ["+t+"]"), s.dirFor(t)
		}
	}
	if filename == "" || filename[0] == '/' || strings.Contains(filename, "..") {
		writeEmpty(w, 400)
		return
	}
	if dir == "" {
		typ := "output"
		if q.Has("type") {
			typ = q.Get("type")
		}
		dir = s.dirFor(typ)
	}
	if dir == "" {
		writeEmpty(w, 400)
		return
	}
	if q.Has("subfolder") {
		sub := q.Get("subfolder")
		full := filepath.Join(dir, filepath.FromSlash(sub))
		if filepath.IsAbs(filepath.FromSlash(sub)) {
			full = filepath.Clean(sub)
		}
		if !within(dir, full) {
			writeEmpty(w, 403)
			return
		}
		dir = full
	}
	filename = filepath.Base(filepath.FromSlash(filename))
	file := filepath.Join(dir, filename)
	st, err := os.Stat(file)
	if err != nil || !st.Mode().IsRegular() {
		writeEmpty(w, 404)
		return
	}
	disp := fmt.Sprintf("filename=%q", filename)
	if q.Has("preview") || (q.Has("channel") && q.Get("channel") != "rgba") {
		s.viewConverted(w, file, disp, q.Get("preview"), q.Get("channel"))
		return
	}
	ct := contentTypeFor(filename)
	f, err := os.Open(file)
	if err != nil {
		writeEmpty(w, 404)
		return
	}
	defer f.Close()
	w, ok := s.faultyDownload(w)
	if !ok {
		return
	}
	w.Header().Set("Content-Disposition", disp)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Etag", fmt.Sprintf("\"%x-%x\"", st.ModTime().UnixNano(), st.Size()))
	http.ServeContent(w, r, filename, st.ModTime(), f)
}

// viewConverted serves preview=webp|jpeg[;quality] and channel=rgb|a.
// Go's standard library has no WebP encoder, so previews are JPEG.
func (s *Server) viewConverted(w http.ResponseWriter, file, disp, preview, channel string) {
	f, err := os.Open(file)
	if err != nil {
		writeEmpty(w, 404)
		return
	}
	img, _, err := image.Decode(f)
	f.Close()
	if err != nil {
		writeText500(w)
		return
	}
	b := img.Bounds()
	out := image.NewNRGBA(b)
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA)
			if channel == "a" {
				c = color.NRGBA{c.A, c.A, c.A, 255}
			} else if channel == "rgb" {
				c.A = 255
			}
			out.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	ct := "image/png"
	if preview != "" {
		quality := 90
		if _, qs, ok := strings.Cut(preview, ";"); ok {
			if n, err := strconv.Atoi(qs); err == nil {
				quality = n
			}
		}
		ct = "image/jpeg"
		err = jpeg.Encode(&buf, out, &jpeg.Options{Quality: quality})
	} else {
		err = png.Encode(&buf, out)
	}
	if err != nil {
		writeText500(w)
		return
	}
	w.Header().Set("Content-Disposition", disp)
	w.Header().Set("Content-Type", ct)
	_, _ = w.Write(buf.Bytes())
}

// contentTypeFor is mimetypes.guess_type with ComfyUI's forced downloads.
func contentTypeFor(name string) string {
	ct := mime.TypeByExtension(filepath.Ext(name))
	if i := strings.Index(ct, ";"); i >= 0 {
		ct = ct[:i]
	}
	switch ct {
	case "", "text/html", "application/xhtml+xml", "text/javascript", "text/css":
		return "application/octet-stream"
	}
	return ct
}
