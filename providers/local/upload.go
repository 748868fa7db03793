package local

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
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
		orig, perr := bridge.ParseOriginalRef(req.OriginalRef)
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
