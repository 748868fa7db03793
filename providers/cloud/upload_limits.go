package cloud

import (
	"bytes"
	"image"
	_ "image/gif" // formats whose size DecodeConfig can read
	_ "image/jpeg"
	_ "image/png"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// Cloud refuses uploads larger than 16384 pixels on an edge or 64 megapixels with a
// bare 400; the header tells beforehand, so the user hears which limit and by how much.
const (
	maxUploadEdge   = 16384
	maxUploadPixels = 64 << 20
)

// checkPixels reads the image header (PNG, JPEG, GIF); other formats are left to Cloud.
func checkPixels(path string, data []byte) plugins.Diagnostics {
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil
	}
	w, h := cfg.Width, cfg.Height
	if w > maxUploadEdge || h > maxUploadEdge || int64(w)*int64(h) > maxUploadPixels {
		return plugins.Errorf("Image too large for Comfy Cloud",
			"%s is %dx%d (%.1f megapixels); Cloud accepts at most %d pixels per edge and 64 megapixels. Downscale it before uploading.",
			path, w, h, float64(w)*float64(h)/(1<<20), maxUploadEdge)
	}
	return nil
}
