package cloud

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// maxUploadBytes is Cloud's limit for /api/upload/image and /api/upload/mask.
const maxUploadBytes = 50 << 20

// Upload sends an image (or a mask for an image already on Cloud) to the account's
// inputs and reports the name Cloud stored it under (content-addressed: subfolder and
// overwrite are ignored there).
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
		return plugins.UploadResult{}, plugins.Errorf("File too large for Comfy Cloud",
			"%s is %d bytes; Cloud accepts uploads up to 50 MB (and 16384 px per edge, 64 MP). Downscale or recompress it.", req.Path, st.Size())
	}
	data, err := os.ReadFile(req.Path)
	if err != nil {
		return plugins.UploadResult{}, plugins.Errorf("Cannot read the file to upload", "%v", err)
	}
	if d := checkPixels(req.Path, data); d.HasErrors() {
		return plugins.UploadResult{}, d
	}
	name := req.Name
	if name == "" {
		name = filepath.Base(req.Path)
	}
	opt := comfyapi.UploadOptions{Subfolder: req.Subfolder, Overwrite: req.Overwrite}
	var res *comfyapi.UploadResult
	if req.Mask {
		orig, perr := bridge.ParseOriginalRef(req.OriginalRef)
		if perr != nil {
			return plugins.UploadResult{}, plugins.Errorf("Invalid image reference for the mask", "%v", perr)
		}
		res, err = c.UploadMask(ctx, name, data, orig, opt)
	} else {
		res, err = c.UploadImage(ctx, name, data, opt)
	}
	if err != nil {
		summary := "Cannot upload " + name + " to Comfy Cloud"
		if req.Mask {
			summary = fmt.Sprintf("Cannot upload mask %s for %s to Comfy Cloud", name, req.OriginalRef)
		}
		return plugins.UploadResult{}, p.fail(summary, err)
	}
	typ := res.Type
	if typ == "" {
		typ = "input"
	}
	return plugins.UploadResult{Name: res.Name, Subfolder: res.Subfolder, Type: typ}, nil
}
