package local

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// gitCmd runs the git binary in dir. It never prompts (a private repository without
// credentials fails instead of hanging apply) and keeps the output for the diagnostic.
func gitCmd(ctx context.Context, dir string, args ...string) (string, error) {
	git, err := exec.LookPath("git")
	if err != nil {
		return "", fmt.Errorf("git is not on PATH; install git (https://git-scm.com) to use `git` node packs, or use a `registry` pack")
	}
	shownArgs := make([]string, len(args))
	for i, a := range args {
		shownArgs[i] = redactGitURL(a)
	}
	cmd := exec.CommandContext(ctx, git, args...)
	cmd.Dir = dir
	// The ceiling keeps git from answering for an enclosing repository (the ComfyUI
	// checkout itself) when dir has none of its own.
	cmd.Env = append(os.Environ(), "GIT_TERMINAL_PROMPT=0", "GIT_ASKPASS=", "LC_ALL=C", "GIT_CEILING_DIRECTORIES="+filepath.Dir(dir))
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(out.String())
		for i, a := range args {
			if shownArgs[i] != a {
				msg = strings.ReplaceAll(msg, a, shownArgs[i])
			}
		}
		if len(msg) > 2000 {
			msg = msg[len(msg)-2000:]
		}
		return msg, fmt.Errorf("git %s: %v: %s", strings.Join(shownArgs, " "), err, msg)
	}
	return strings.TrimSpace(out.String()), nil
}

func gitOutput(ctx context.Context, dir string, args ...string) (string, error) {
	return gitCmd(ctx, dir, args...)
}

// resolveRef turns a tag, branch or commit into a commit id in the checkout at dir:
// the remote-tracking branch first (a local branch may be stale), then tags and ids.
func resolveRef(ctx context.Context, dir, ref string) (string, error) {
	var lastErr error
	for _, cand := range []string{"origin/" + ref + "^{commit}", ref + "^{commit}"} {
		sha, err := gitOutput(ctx, dir, "rev-parse", "--verify", "--quiet", "--end-of-options", cand)
		if err == nil && sha != "" {
			return sha, nil
		}
		lastErr = err
	}
	return "", fmt.Errorf("ref %q is not a tag, branch or commit of the repository (%v)", ref, lastErr)
}

// applyGitNode clones the repository (or fetches into an existing checkout), checks out
// the pinned ref detached, installs the requirements and records the commit.
func (p *Provider) applyGitNode(ctx context.Context, ws, name string, n plugins.NodeSpec, onProgress func(plugins.InstallProgress)) (plugins.InstallProgress, plugins.Diagnostics) {
	root := filepath.Join(ws, "custom_nodes")
	dir := filepath.Join(root, name)
	shown := redactGitURL(n.Git) // credentials in the URL stay out of messages and the marker
	fail := func(summary string, err error) (plugins.InstallProgress, plugins.Diagnostics) {
		return plugins.InstallProgress{}, attrError(summary, "git", "%s", err)
	}
	if _, err := exec.LookPath("git"); err != nil {
		if archive, ok := githubArchiveURL(n.Git, n.Ref); ok {
			return p.applyArchiveNode(ctx, ws, name, archive, n, onProgress)
		}
	}
	var sha string
	if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
		onProgress(plugins.InstallProgress{Message: "fetching " + shown})
		if _, err := gitCmd(ctx, dir, "fetch", "--tags", "--force", "--", n.Git, "+refs/heads/*:refs/remotes/origin/*"); err != nil {
			return fail("Cannot fetch "+shown, err)
		}
		// An existing checkout keeps its local edits: git refuses to overwrite them and
		// the diagnostic says so, rather than comfyhcl discarding someone's work.
		var diags plugins.Diagnostics
		if sha, diags = checkoutRef(ctx, dir, n, false); diags.HasErrors() {
			return plugins.InstallProgress{}, diags
		}
	} else {
		// Clone and check out beside custom_nodes/<name>, so a bad URL or ref leaves
		// whatever was there untouched.
		onProgress(plugins.InstallProgress{Message: "cloning " + shown})
		staging := stagingDir(root, name)
		os.RemoveAll(staging)
		defer os.RemoveAll(staging)
		if _, err := gitCmd(ctx, root, "clone", "--no-checkout", "--", n.Git, staging); err != nil {
			return fail("Cannot clone "+shown, fmt.Errorf("%w; check the URL and that this machine can reach it", err))
		}
		var diags plugins.Diagnostics
		if sha, diags = checkoutRef(ctx, staging, n, true); diags.HasErrors() {
			return plugins.InstallProgress{}, diags
		}
		backup, err := swapIntoPlace(staging, dir)
		if err != nil {
			return fail("Cannot install the pack into custom_nodes", err)
		}
		if backup != "" {
			onProgress(plugins.InstallProgress{Message: "kept the previous, unmanaged " + name + " as " + backup})
		}
	}
	mk := packMarker{Git: shown, Ref: n.Ref, Commit: sha}
	if err := writeMarker(dir, mk); err != nil { // incomplete until requirements succeed
		return fail("Cannot record the installed commit", err)
	}
	excludeMarker(dir)
	if d := p.installRequirements(ctx, ws, dir, name, onProgress); d.HasErrors() {
		return plugins.InstallProgress{Commit: sha}, d
	}
	mk.Complete = true
	if err := writeMarker(dir, mk); err != nil {
		return fail("Cannot record the installed commit", err)
	}
	return plugins.InstallProgress{Done: true, Commit: sha, Version: n.Ref, RestartRequired: true,
		Message: fmt.Sprintf("checked out %s (%s); restart ComfyUI to load it", n.Ref, sha)}, nil
}

// checkoutRef resolves the block's ref in the checkout at dir (fetching it by id when no
// branch or tag points at it), checks it out detached, with submodules, and returns
// the commit.
func checkoutRef(ctx context.Context, dir string, n plugins.NodeSpec, force bool) (string, plugins.Diagnostics) {
	sha, err := resolveRef(ctx, dir, n.Ref)
	if err != nil {
		if _, ferr := gitCmd(ctx, dir, "fetch", "--", n.Git, n.Ref); ferr == nil {
			sha, err = resolveRef(ctx, dir, "FETCH_HEAD")
		}
	}
	if err != nil {
		return "", attrError("Cannot find ref "+n.Ref, "ref", "%s; pin `ref` to an existing tag, branch or commit.", err)
	}
	args := []string{"checkout", "--quiet", "--detach", sha}
	if force {
		args = []string{"checkout", "--quiet", "--force", "--detach", sha}
	}
	if _, err := gitCmd(ctx, dir, args...); err != nil {
		return "", attrError("Cannot check out "+n.Ref, "ref", "%s; if the pack has local changes, commit or stash them in %s", err, dir)
	}
	if _, err := os.Stat(filepath.Join(dir, ".gitmodules")); err == nil {
		if _, err := gitCmd(ctx, dir, "submodule", "update", "--init", "--recursive"); err != nil {
			return "", attrError("Cannot fetch the pack's submodules", "git", "%s", err)
		}
	}
	return sha, nil
}

// redactGitURL hides the password or token of a URL like https://user:token@host/repo.
func redactGitURL(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil || u.Scheme == "" {
		return s
	}
	return u.Redacted()
}

// excludeMarker keeps the marker out of `git status` in the pack's checkout.
func excludeMarker(dir string) {
	path := filepath.Join(dir, ".git", "info", "exclude")
	b, _ := os.ReadFile(path)
	if bytes.Contains(b, []byte(markerFile)) {
		return
	}
	os.MkdirAll(filepath.Dir(path), 0o755)
	if f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644); err == nil {
		fmt.Fprintf(f, "/%s\n", markerFile)
		f.Close()
	}
}
