package local

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// maxUploadBytes is ComfyUI's default --max-upload-size (100 MB); a larger body would
// get aiohttp's bare 413, so refuse it here with a message that says why.
const maxUploadBytes = 100 << 20

// Upload sends an image (or a mask for an image already on the server) to the input
// folder and reports the name the server stored it under, which differs from the
// requested one when the server renamed it to avoid a clash.
func (p *Provider) Upload(ctx context.Context, req plugins.UploadRequest) (plugins.UploadResult, plugins.Diagnostics) {
	c, diags := p.conn()
	if diags.HasErrors() {
		return plugins.UploadResult{}, diags
	}
	st, err := os.Stat(req.Path)
	if err != nil {
		return plugins.UploadResult{}, plugins.Errorf("Cannot read the file to upload", "%v\nCheck the path.", err)
	}
	if !st.Mode().IsRegular() {
		return plugins.UploadResult{}, plugins.Errorf("Cannot upload a directory", "%s is not a regular file; give the path of an image.", req.Path)
	}
	if st.Size() > maxUploadBytes {
		return plugins.UploadResult{}, plugins.Errorf("File too large to upload",
			"%s is %d bytes; ComfyUI accepts at most %d by default (raise the server's --max-upload-size).", req.Path, st.Size(), maxUploadBytes)
	}
	data, err := os.ReadFile(req.Path)
	if err != nil {
		return plugins.UploadResult{}, plugins.Errorf("Cannot read the file to upload", "%v", err)
	}
	name := req.Name
	if name == "" {
		name = filepath.Base(req.Path)
	}
	opt := comfyapi.UploadOptions{Subfolder: req.Subfolder, Overwrite: req.Overwrite}
	var res *comfyapi.UploadResult
	if req.Mask {
		orig, perr := ParseOriginalRef(req.OriginalRef)
		if perr != nil {
			return plugins.UploadResult{}, plugins.Errorf("Invalid image reference for the mask", "%v", perr)
		}
		res, err = c.UploadMask(ctx, name, data, orig, opt)
	} else {
		res, err = c.UploadImage(ctx, name, data, opt)
	}
	if err != nil {
		var conn *comfyapi.ConnError
		if req.Mask && !errors.As(err, &conn) {
			return plugins.UploadResult{}, plugins.Errorf(fmt.Sprintf("Cannot upload mask %s for %s", name, req.OriginalRef),
				"%v\nThe image the mask belongs to must already be on the server: upload it first and pass the name the server gave it to -for.", err)
		}
		return plugins.UploadResult{}, serverError(c, "Cannot upload "+name, err)
	}
	typ := res.Type
	if typ == "" {
		typ = "input"
	}
	return plugins.UploadResult{Name: res.Name, Subfolder: res.Subfolder, Type: typ}, nil
}

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
