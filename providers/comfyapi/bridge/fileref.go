package bridge

import (
	"encoding/json"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// ParseOriginalRef reads the image a mask belongs to: either the JSON object ComfyUI's
// original_ref takes ({"filename", "subfolder", "type"}) or a workflow reference such as
// "photo.png", "sub/photo.png" or "photo.png [temp]".
func ParseOriginalRef(s string) (comfyapi.FileRef, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return comfyapi.FileRef{}, fmt.Errorf("a mask needs the image it belongs to (-for NAME)")
	}
	if strings.HasPrefix(s, "{") {
		var ref comfyapi.FileRef
		if err := json.Unmarshal([]byte(s), &ref); err != nil || ref.Filename == "" {
			return comfyapi.FileRef{}, fmt.Errorf("%q is not {\"filename\": ..., \"subfolder\": ..., \"type\": ...}", s)
		}
		if ref.Type == "" {
			ref.Type = "input"
		}
		return ref, nil
	}
	ref := comfyapi.FileRef{Type: "input"}
	for _, t := range []string{"input", "temp", "output"} {
		if rest, ok := strings.CutSuffix(s, " ["+t+"]"); ok {
			s, ref.Type = rest, t
			break
		}
	}
	dir, file := path.Split(filepath.ToSlash(s))
	ref.Subfolder, ref.Filename = strings.TrimSuffix(dir, "/"), file
	if ref.Filename == "" {
		return comfyapi.FileRef{}, fmt.Errorf("%q names no file", s)
	}
	return ref, nil
}
