package comfysim

import (
	"bytes"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// handleUploadMask is server.py upload_mask: the uploaded image's alpha
// channel is copied into original_ref's image and saved as PNG under the
// upload's (renamed) name. The original follows /view's guards: 400 for
// '..' or a leading '/', 403 for a subfolder escape; a missing original is
// 404 (ComfyUI silently writes nothing).
func (s *Server) handleUploadMask(w http.ResponseWriter, r *http.Request) {
	s.imageUpload(w, r, func(data []byte, target string) int {
		var ref struct {
			Filename  string `json:"filename"`
			Subfolder string `json:"subfolder"`
			Type      string `json:"type"`
		}
		if json.Unmarshal([]byte(r.FormValue("original_ref")), &ref) != nil {
			return 400
		}
		name, dir := ref.Filename, ""
		for _, t := range []string{"input", "output", "temp"} {
			if strings.HasSuffix(name, " ["+t+"]") {
				name, dir = strings.TrimSuffix(name, " ["+t+"]"), s.dirFor(t)
			}
		}
		if name == "" || name[0] == '/' || strings.Contains(name, "..") {
			return 400
		}
		if dir == "" {
			typ := ref.Type
			if typ == "" {
				typ = "output"
			}
			if dir = s.dirFor(typ); dir == "" {
				return 400
			}
		}
		if ref.Subfolder != "" {
			full := filepath.Join(dir, filepath.FromSlash(ref.Subfolder))
			if !within(dir, full) || filepath.IsAbs(ref.Subfolder) {
				return 403
			}
			dir = full
		}
		orig, err := decodeFile(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			return 404
		}
		mask, _, err := image.Decode(bytes.NewReader(data))
		if err != nil || mask.Bounds().Size() != orig.Bounds().Size() {
			return 500 // PIL raises on putalpha with another size / unreadable mask
		}
		ob, mb := orig.Bounds(), mask.Bounds()
		out := image.NewNRGBA(image.Rect(0, 0, ob.Dx(), ob.Dy()))
		for y := 0; y < ob.Dy(); y++ {
			for x := 0; x < ob.Dx(); x++ {
				c := color.NRGBAModel.Convert(orig.At(ob.Min.X+x, ob.Min.Y+y)).(color.NRGBA)
				c.A = color.NRGBAModel.Convert(mask.At(mb.Min.X+x, mb.Min.Y+y)).(color.NRGBA).A
				out.SetNRGBA(x, y, c)
			}
		}
		var buf bytes.Buffer
		if png.Encode(&buf, out) != nil || os.WriteFile(target, buf.Bytes(), 0o644) != nil {
			return 500
		}
		return 0
	})
}

func decodeFile(p string) (image.Image, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	return img, err
}
