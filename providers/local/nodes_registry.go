package local

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// nodeVersion is the Registry's NodeVersion (GET /nodes/{id}/install?version=V).
type nodeVersion struct {
	ID          string `json:"id"`
	Version     string `json:"version"`
	DownloadURL string `json:"downloadUrl"`
	Deprecated  bool   `json:"deprecated"`
	Status      string `json:"status"`
}

var registryClient = &http.Client{Timeout: time.Minute}

// registryInstallInfo asks the Registry where the pack's zip for one version is.
func (p *Provider) registryInstallInfo(ctx context.Context, id, version string) (nodeVersion, error) {
	u := fmt.Sprintf("%s/nodes/%s/install?version=%s", p.registryURL(), url.PathEscape(id), url.QueryEscape(version))
	var lastErr error
	for attempt := 0; attempt < 4; attempt++ {
		if attempt > 0 {
			if err := sleepJitter(ctx, fetchBackoff, attempt); err != nil {
				return nodeVersion{}, err
			}
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
		if err != nil {
			return nodeVersion{}, err
		}
		req.Header.Set("Accept", "application/json")
		resp, err := registryClient.Do(req)
		if err != nil {
			lastErr = fmt.Errorf("GET %s: %w; check `registry_url` and the network", u, unwrapURL(err))
			continue
		}
		b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		switch {
		case resp.StatusCode == http.StatusOK:
			var nv nodeVersion
			if err := json.Unmarshal(b, &nv); err != nil {
				return nodeVersion{}, fmt.Errorf("the Registry's answer for %s@%s is not JSON: %w", id, version, err)
			}
			if nv.DownloadURL == "" {
				return nodeVersion{}, fmt.Errorf("the Registry has no download for %s@%s", id, version)
			}
			return nv, nil
		case resp.StatusCode == http.StatusNotFound:
			return nodeVersion{}, fmt.Errorf("the Registry has no %s@%s (HTTP 404: %s); check the id at https://registry.comfy.org and list its versions with GET %s/nodes/%s/versions",
				id, version, strings.TrimSpace(string(b)), p.registryURL(), id)
		case resp.StatusCode == http.StatusBadRequest:
			return nodeVersion{}, fmt.Errorf("the Registry has no version %q of %s (HTTP 400: %s); list versions with GET %s/nodes/%s/versions",
				version, id, strings.TrimSpace(string(b)), p.registryURL(), id)
		case resp.StatusCode >= 500 || resp.StatusCode == http.StatusTooManyRequests:
			lastErr = fmt.Errorf("GET %s: HTTP %d", u, resp.StatusCode)
		default:
			return nodeVersion{}, fmt.Errorf("GET %s: HTTP %d: %s", u, resp.StatusCode, strings.TrimSpace(string(b)))
		}
	}
	return nodeVersion{}, fmt.Errorf("the Registry did not answer: %w", lastErr)
}

// applyRegistryNode downloads the pack's zip, extracts it next to custom_nodes/<id>,
// swaps it into place, installs the requirements and writes the marker.
func (p *Provider) applyRegistryNode(ctx context.Context, ws, id string, n plugins.NodeSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	root := filepath.Join(ws, "custom_nodes")
	dir := filepath.Join(root, id)
	nv, err := p.registryInstallInfo(ctx, id, n.Version)
	if err != nil {
		return plugins.InstallProgress{}, attrError("Cannot install "+id+"@"+n.Version+" from the Comfy Registry", "version", "%s", err)
	}
	switch nv.Status {
	case "NodeVersionStatusBanned", "NodeVersionStatusDeleted":
		return plugins.InstallProgress{}, attrError(id+"@"+n.Version+" is withdrawn from the Comfy Registry", "version",
			"the Registry marks this version %s; pin another `version` (see %s/nodes/%s/versions).", strings.TrimPrefix(nv.Status, "NodeVersionStatus"), p.registryURL(), id)
	}
	var warn plugins.Diagnostics
	if nv.Deprecated {
		warn = plugins.Diagnostics{{Severity: plugins.SeverityWarning, Summary: id + "@" + n.Version + " is deprecated",
			Detail: "the Comfy Registry marks this version deprecated; consider pinning a newer `version`.", AttributePath: []string{"version"}}}
	}
	if d := checkSource(nv.DownloadURL); d != nil {
		return plugins.InstallProgress{}, attrError("The Registry gave an unusable download URL", "registry", "%s", d[0].Detail)
	}
	zipPath := filepath.Join(root, ".comfyhcl-"+id+".zip")
	os.Remove(zipPath + ".part") // no hash to check a leftover against: start fresh
	f := &fetcher{URL: nv.DownloadURL, Dest: zipPath, Progress: func(done, total int64) {
		onProgress(plugins.InstallProgress{BytesDone: done, BytesTotal: total, Message: "downloading " + id + "@" + n.Version})
	}}
	if _, err := f.run(ctx); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot download "+id+"@"+n.Version, "version", "%s", err)
	}
	defer os.Remove(zipPath)
	staging := stagingDir(root, id)
	os.RemoveAll(staging)
	if err := extractZip(zipPath, staging); err != nil {
		os.RemoveAll(staging)
		return plugins.InstallProgress{}, attrError("Refusing the archive of "+id+"@"+n.Version, "registry", "%s", err)
	}
	mk := packMarker{Registry: id, Version: n.Version}
	if err := writeMarker(staging, mk); err != nil {
		os.RemoveAll(staging)
		return plugins.InstallProgress{}, attrError("Cannot record the installed version", "", "%s", err)
	}
	backup, err := swapIntoPlace(staging, dir)
	if err != nil {
		return plugins.InstallProgress{}, attrError("Cannot install the pack into custom_nodes", "", "%s", err)
	}
	if backup != "" {
		onProgress(plugins.InstallProgress{Message: "kept the previous, unmanaged " + id + " as " + backup})
	}
	if d := p.installRequirements(ctx, ws, dir, id, onProgress); d.HasErrors() {
		return plugins.InstallProgress{Version: n.Version}, d
	}
	mk.Complete = true
	if err := writeMarker(dir, mk); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot record the installed version", "", "%s", err)
	}
	return plugins.InstallProgress{Done: true, Version: n.Version, RestartRequired: true,
		Message: fmt.Sprintf("installed %s@%s; restart ComfyUI to load it", id, n.Version)}, warn
}
