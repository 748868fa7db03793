package local

import (
	"archive/zip"
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// githubArchiveBase serves GitHub's source archives (/<owner>/<repo>/archive/<ref>.zip);
// tests point it at comfysim's git-free pack source.
var githubArchiveBase = "https://github.com"

var commitRE = regexp.MustCompile(`^[0-9a-f]{40}$`)

// githubArchiveURL is the source archive of a GitHub repository at ref, for machines
// without git; ok is false for other hosts.
func githubArchiveURL(gitURL, ref string) (string, bool) {
	u, err := url.Parse(gitURL)
	if err != nil || (u.Host != "github.com" && u.Host != "www.github.com") || u.User != nil {
		return "", false
	}
	parts := strings.Split(strings.TrimSuffix(strings.Trim(u.Path, "/"), ".git"), "/")
	if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	return fmt.Sprintf("%s/%s/%s/archive/%s.zip", strings.TrimRight(githubArchiveBase, "/"),
		url.PathEscape(parts[0]), url.PathEscape(parts[1]), url.PathEscape(ref)), true
}

// applyArchiveNode installs a GitHub pack from its source archive when git is not
// installed. The commit comes from the archive's comment (GitHub writes it there) when
// present.
func (p *Provider) applyArchiveNode(ctx context.Context, ws, name, archive string, n plugins.NodeSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	root := filepath.Join(ws, "custom_nodes")
	zipPath := filepath.Join(root, ".comfyhcl-"+name+".zip")
	os.Remove(zipPath + ".part")
	f := &fetcher{URL: archive, Dest: zipPath, Log: p.log.Named("nodes"), Progress: func(done, total int64) {
		onProgress(plugins.InstallProgress{BytesDone: done, BytesTotal: total, Message: "downloading " + name + "@" + n.Ref + " (git is not installed: using GitHub's archive)"})
	}}
	if _, err := f.run(ctx); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot download "+name+"@"+n.Ref, "ref",
			"%s; git is not installed, so comfyhcl used GitHub's source archive. Install git to clone instead.", err)
	}
	defer os.Remove(zipPath)
	commit := ""
	if zr, err := zip.OpenReader(zipPath); err == nil {
		if c := strings.TrimSpace(zr.Comment); commitRE.MatchString(c) {
			commit = c
		}
		zr.Close()
	}
	staging := stagingDir(root, name)
	os.RemoveAll(staging)
	defer os.RemoveAll(staging)
	if err := extractZip(zipPath, staging); err != nil {
		return plugins.InstallProgress{}, attrError("Refusing the archive of "+name+"@"+n.Ref, "git", "%s", err)
	}
	mk := packMarker{Git: redactGitURL(n.Git), Ref: n.Ref, Commit: commit, Archive: true}
	if err := writeMarker(staging, mk); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot record the installed ref", "", "%s", err)
	}
	backup, err := swapIntoPlace(staging, filepath.Join(root, name))
	if err != nil {
		return plugins.InstallProgress{}, attrError("Cannot install the pack into custom_nodes", "", "%s", err)
	}
	if backup != "" {
		onProgress(plugins.InstallProgress{Message: "kept the previous, unmanaged " + name + " as " + backup})
	}
	dir := filepath.Join(root, name)
	if d := p.installRequirements(ctx, ws, dir, name, onProgress); d.HasErrors() {
		return plugins.InstallProgress{Version: n.Ref, Commit: commit}, d
	}
	mk.Complete = true
	if err := writeMarker(dir, mk); err != nil {
		return plugins.InstallProgress{}, attrError("Cannot record the installed ref", "", "%s", err)
	}
	return plugins.InstallProgress{Done: true, Version: n.Ref, Commit: commit, RestartRequired: true,
		Message: fmt.Sprintf("installed %s at %s from GitHub's archive; restart ComfyUI to load it", name, n.Ref)}, nil
}
