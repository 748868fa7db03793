package comfyapi

import (
	"net/url"
	"strings"
)

// route maps a local ComfyUI path to the server's dialect. Cloud serves
// everything under /api and renamed two families of endpoints; calling the
// old names there gives a 404 that looks like a missing folder or job.
func (c *Client) route(localPath string) string {
	if c.cfg.Flavor != FlavorCloud {
		return localPath
	}
	p := localPath
	switch {
	case p == "/history" || strings.HasPrefix(p, "/history/"):
		p = "/history_v2" + strings.TrimPrefix(p, "/history")
	case p == "/models" || strings.HasPrefix(p, "/models/"):
		p = "/experiment" + p
	}
	return "/api" + p
}

// endpoint is the absolute URL of a routed path with an optional query.
func (c *Client) endpoint(localPath string, q url.Values) string {
	u := *c.base
	u.Path = strings.TrimRight(c.base.Path, "/") + c.route(localPath)
	u.RawPath = ""
	if len(q) > 0 {
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// wsURL is the event socket: ws(s)://host/ws?clientId=...; Cloud also
// needs the API key as the token parameter because browsers cannot set
// headers on WebSockets (and Cloud ignores clientId).
func (c *Client) wsURL() string {
	u := *c.base
	if u.Scheme == "https" {
		u.Scheme = "wss"
	} else {
		u.Scheme = "ws"
	}
	u.Path = strings.TrimRight(c.base.Path, "/") + "/ws"
	q := url.Values{"clientId": {c.clientID}}
	if c.cfg.Flavor == FlavorCloud && c.cfg.APIKey != "" {
		q.Set("token", c.cfg.APIKey)
	}
	u.RawQuery = q.Encode()
	return u.String()
}

// folderAliases are the legacy and new names of the same model folders.
// Local /models/{folder} only answers the new names; Cloud answers either
// depending on its deployment, so both are tried.
var folderAliases = map[string]string{
	"unet":             "diffusion_models",
	"diffusion_models": "unet",
	"clip":             "text_encoders",
	"text_encoders":    "clip",
}

// canonicalFolder maps a legacy folder name to the one local servers list.
func canonicalFolder(folder string) string {
	switch folder {
	case "unet":
		return "diffusion_models"
	case "clip":
		return "text_encoders"
	}
	return folder
}

// redactURL hides the WebSocket token before a URL reaches a log or error.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return raw
	}
	q := u.Query()
	if q.Has("token") {
		q.Set("token", "REDACTED")
		u.RawQuery = q.Encode()
	}
	return u.String()
}
