package comfyapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"strings"
)

// UploadOptions are the multipart fields of /upload/image and /upload/mask.
type UploadOptions struct {
	Subfolder string // ignored by Cloud (content-addressed storage)
	Type      string // input (default), temp or output
	Overwrite bool
}

// UploadResult is where the server stored an upload. Servers rename on a
// clash ("x (1).png"); Renamed says so, because a workflow must then
// reference Name, not the name that was sent.
type UploadResult struct {
	Name      string `json:"name"`
	Subfolder string `json:"subfolder"`
	Type      string `json:"type"`
	Requested string `json:"-"`
	Renamed   bool   `json:"-"`
}

// Reference is the value a LoadImage-style input takes: "sub/name", with
// " [temp]" or " [output]" appended outside the input directory.
func (r *UploadResult) Reference() string {
	ref := r.Name
	if r.Subfolder != "" {
		ref = path.Join(r.Subfolder, r.Name)
	}
	if r.Type != "" && r.Type != "input" {
		ref += " [" + r.Type + "]"
	}
	return ref
}

// UploadImage stores data as an input image under filename.
func (c *Client) UploadImage(ctx context.Context, filename string, data []byte, opt UploadOptions) (*UploadResult, error) {
	return c.upload(ctx, "/upload/image", filename, data, opt, nil)
}

// UploadMask stores data's alpha channel into the original image (which
// must exist on the server) and saves the result under filename.
func (c *Client) UploadMask(ctx context.Context, filename string, data []byte, original FileRef, opt UploadOptions) (*UploadResult, error) {
	ref, err := json.Marshal(map[string]string{"filename": original.Filename, "subfolder": original.Subfolder, "type": refTypeOr(original.Type, "input")})
	if err != nil {
		return nil, err
	}
	return c.upload(ctx, "/upload/mask", filename, data, opt, map[string]string{"original_ref": string(ref)})
}

func (c *Client) upload(ctx context.Context, route, filename string, data []byte, opt UploadOptions, extra map[string]string) (*UploadResult, error) {
	if err := checkComponent(filename); err != nil {
		return nil, fmt.Errorf("upload name %q %v", filename, err)
	}
	body, contentType, err := multipartBody(filename, data, opt, extra)
	if err != nil {
		return nil, err
	}
	resp, err := c.send(ctx, request{method: http.MethodPost, path: route, body: body, contentType: contentType})
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	var res UploadResult
	if err := json.Unmarshal(raw, &res); err != nil || res.Name == "" {
		return nil, fmt.Errorf("POST %s: unexpected response %q", c.route(route), truncate(string(raw), 200))
	}
	res.Requested = filename
	res.Renamed = res.Name != filename
	if res.Renamed {
		c.log.Info("server renamed the upload", "sent", filename, "stored", res.Name)
	}
	return &res, nil
}

func multipartBody(filename string, data []byte, opt UploadOptions, extra map[string]string) ([]byte, string, error) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="image"; filename="%s"`, escapeQuotes(filename)))
	h.Set("Content-Type", sniffImageType(data))
	part, err := w.CreatePart(h)
	if err != nil {
		return nil, "", err
	}
	part.Write(data)
	fields := map[string]string{"type": refTypeOr(opt.Type, "input"), "overwrite": fmt.Sprint(opt.Overwrite)}
	if opt.Subfolder != "" {
		fields["subfolder"] = opt.Subfolder
	}
	for k, v := range extra {
		fields[k] = v
	}
	for _, k := range sortedKeys(fields) {
		if err := w.WriteField(k, fields[k]); err != nil {
			return nil, "", err
		}
	}
	if err := w.Close(); err != nil {
		return nil, "", err
	}
	return buf.Bytes(), w.FormDataContentType(), nil
}

func sniffImageType(data []byte) string {
	ct := http.DetectContentType(data)
	if strings.HasPrefix(ct, "image/") {
		return ct
	}
	return "application/octet-stream"
}

func escapeQuotes(s string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s)
}

func refTypeOr(t, def string) string {
	if t == "" {
		return def
	}
	return t
}
