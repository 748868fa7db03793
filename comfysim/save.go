package comfysim

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// annotatedPath resolves a LoadImage-style name: "sub/x.png [output]".
func (s *Server) annotatedPath(name, defType string) (string, bool) {
	typ := defType
	for _, t := range []string{"input", "output", "temp"} {
		if strings.HasSuffix(name, " ["+t+"]") {
			name = strings.TrimSuffix(name, " ["+t+"]")
			typ = t
		}
	}
	base := s.dirFor(typ)
	p := filepath.Join(base, filepath.FromSlash(name))
	if !within(base, p) {
		return "", false
	}
	return p, true
}

func (s *Server) dirFor(typ string) string {
	switch typ {
	case "output":
		return s.outputDir
	case "temp":
		return s.tempDir
	case "input":
		return s.inputDir
	}
	return ""
}

// within is ComfyUI's commonpath((base, abspath(p))) == base check.
func within(base, p string) bool {
	rel, err := filepath.Rel(base, filepath.Clean(p))
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// saveImages is SaveImage.save_images / PreviewImage: real PNGs named
// <prefix>_<counter:05>_.png in <type dir>/<subfolder of prefix>.
func (x *execCtx) saveImages(in map[string]any, typ, prefix string) ([]any, *omap, error) {
	img, err := inImage(in, "images")
	if err != nil {
		return nil, nil, err
	}
	text := x.pngText()
	results, err := x.saveFiles(typ, prefix, img.W, img.H, img.B, "png", func(b int) ([]byte, error) {
		return encodePNGBatch(img, b, text)
	})
	if err != nil {
		return nil, nil, err
	}
	ui := newOmap()
	ui.set("images", results)
	return []any{}, ui, nil
}

// pngText is what ComfyUI embeds: the prompt and each extra_pnginfo key.
func (x *execCtx) pngText() map[string]string {
	text := map[string]string{}
	if b, err := json.Marshal(x.r.item.prompt); err == nil {
		text["prompt"] = string(b)
	}
	if pi, ok := x.r.item.extra["extra_pnginfo"].(map[string]any); ok {
		for k, v := range pi {
			if b, err := json.Marshal(v); err == nil {
				text[k] = string(b)
			}
		}
	}
	return text
}

// saveFiles writes n files named by get_save_image_path's rules and
// returns their {filename, subfolder, type} items.
func (x *execCtx) saveFiles(typ, prefix string, w, h, n int, ext string, content func(i int) ([]byte, error)) ([]any, error) {
	base := x.s.dirFor(typ)
	prefix = computeVars(prefix, w, h)
	norm := filepath.Clean(filepath.FromSlash(prefix))
	subfolder := filepath.Dir(norm)
	if subfolder == "." {
		subfolder = ""
	}
	filename := filepath.Base(norm)
	full := filepath.Join(base, subfolder)
	if !within(base, full) {
		return nil, &nodeError{typ: "Exception", msg: fmt.Sprintf("**** ERROR: Saving image outside the output folder is not allowed.\n full_output_folder: %s\n         output_dir: %s", full, base)}
	}
	if err := os.MkdirAll(full, 0o755); err != nil {
		return nil, &nodeError{typ: "OSError", msg: err.Error()}
	}
	counter := nextCounter(full, filename)
	results := []any{}
	for i := 0; i < n; i++ {
		name := fmt.Sprintf("%s_%05d_.%s", strings.ReplaceAll(filename, "%batch_num%", strconv.Itoa(i)), counter, ext)
		data, err := content(i)
		var ne *nodeError
		if errors.As(err, &ne) {
			return nil, ne
		}
		if err != nil {
			return nil, &nodeError{typ: "OSError", msg: err.Error()}
		}
		if err := os.WriteFile(filepath.Join(full, name), data, 0o644); err != nil {
			return nil, &nodeError{typ: "OSError", msg: err.Error()}
		}
		results = append(results, map[string]any{"filename": name, "subfolder": filepath.ToSlash(subfolder), "type": typ})
		counter++
	}
	return results, nil
}

// nextCounter is get_save_image_path's counter: max existing + 1.
func nextCounter(dir, filename string) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 1
	}
	max := 0
	plen := len(filename)
	for _, e := range ents {
		n := e.Name()
		if len(n) < plen+1 || n[:plen] != filename || n[plen] != '_' {
			continue
		}
		d, _, _ := strings.Cut(n[plen+1:], "_")
		v, err := strconv.Atoi(d)
		if err != nil {
			v = 0
		}
		if v > max {
			max = v
		}
	}
	return max + 1
}

func computeVars(s string, w, h int) string {
	if !strings.Contains(s, "%") {
		return s
	}
	now := time.Now()
	r := strings.NewReplacer(
		"%width%", strconv.Itoa(w), "%height%", strconv.Itoa(h),
		"%year%", strconv.Itoa(now.Year()), "%month%", fmt.Sprintf("%02d", now.Month()),
		"%day%", fmt.Sprintf("%02d", now.Day()), "%hour%", fmt.Sprintf("%02d", now.Hour()),
		"%minute%", fmt.Sprintf("%02d", now.Minute()), "%second%", fmt.Sprintf("%02d", now.Second()),
	)
	return r.Replace(s)
}
