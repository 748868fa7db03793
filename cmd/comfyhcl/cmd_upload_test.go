package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

func writePNG(t *testing.T, path string, shade uint8) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 4, 4))
	for i := range img.Pix {
		img.Pix[i] = shade
	}
	img.Set(0, 0, color.RGBA{shade, 0, 0, 255})
	var buf bytes.Buffer
	png.Encode(&buf, img)
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUploadRenamesAndReportsServerName(t *testing.T) {
	srv := startSim(t, comfysim.Faults{})
	dir := t.TempDir()
	writePNG(t, filepath.Join(dir, "photo.png"), 10)
	os.MkdirAll(filepath.Join(dir, "other"), 0o755)
	writePNG(t, filepath.Join(dir, "other", "photo.png"), 200)
	writePNG(t, filepath.Join(dir, "mask.png"), 128)
	url := "-url=" + srv.URL()

	var transcript strings.Builder
	step := func(args ...string) result {
		res := run(t, dir, nil, append([]string{"upload"}, append(args, url)...)...)
		fmt.Fprintf(&transcript, "$ comfyhcl upload %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), res.code, res.stdout, res.stderr)
		return res
	}
	step("photo.png")
	step("photo.png")       // identical content: the server keeps the name
	step("other/photo.png") // a different photo.png: renamed
	step("other/photo.png", "-overwrite", "-json")
	step("-json", "-subfolder", "masks/a", "photo.png")
	step("-mask", "photo.png")
	step("mask.png", "-mask", "-for", "photo.png")
	step("mask.png", "-mask", "-for", "nosuch.png")
	step("missing.png")
	step()
	opsGolden(t, "upload/transcript.golden", transcript.String())

	renamed, err := os.ReadFile(filepath.Join(srv.InputDir(), "photo (1).png"))
	want, _ := os.ReadFile(filepath.Join(dir, "other", "photo.png"))
	if err != nil || !bytes.Equal(renamed, want) {
		t.Errorf("the renamed upload on the server: %v", err)
	}
	if _, err := os.Stat(filepath.Join(srv.InputDir(), "masks", "a", "photo.png")); err != nil {
		t.Errorf("subfolder upload: %v", err)
	}
}
