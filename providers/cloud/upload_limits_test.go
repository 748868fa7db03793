package cloud

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// pngClaiming is a 1x1 PNG whose header claims w x h: enough for DecodeConfig.
func pngClaiming(w, h uint32) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 1, 1)))
	b := buf.Bytes()
	// signature (8) + length (4) + "IHDR" (4) + data (13) + crc (4)
	binary.BigEndian.PutUint32(b[16:], w)
	binary.BigEndian.PutUint32(b[20:], h)
	binary.BigEndian.PutUint32(b[29:], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestUploadRefusesImagesOverCloudLimits(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	dir := t.TempDir()
	for name, size := range map[string][2]uint32{"wide.png": {16385, 1}, "big.png": {8200, 8200}} {
		path := filepath.Join(dir, name)
		os.WriteFile(path, pngClaiming(size[0], size[1]), 0o644)
		_, d := p.Upload(testCtx(t), plugins.UploadRequest{Path: path})
		if !d.HasErrors() || !strings.Contains(d[0].Detail, "16384") {
			t.Errorf("%s: %v", name, d)
		}
	}
	if n := sim.Stats().Requests["POST /api/upload/image"]; n != 0 {
		t.Errorf("%d uploads reached Cloud", n)
	}
	if d := checkPixels("ok.png", pngClaiming(4096, 4096)); d.HasErrors() {
		t.Errorf("16 MP refused: %v", d)
	}
}
