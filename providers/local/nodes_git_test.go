package local

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// gitT runs git for test fixtures with a fixed identity and no user configuration.
func gitT(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_CONFIG_NOSYSTEM=1", "HOME="+dir)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
	return strings.TrimSpace(string(out))
}

// fakeGitRemote makes a bare repository named ComfyUI-Fake.git with a tag v1 and a
// later commit on main; it returns its path and both commits.
func fakeGitRemote(t *testing.T) (remote, v1, head string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := t.TempDir()
	work := filepath.Join(root, "work")
	os.Mkdir(work, 0o755)
	gitT(t, work, "init", "-q")
	os.WriteFile(filepath.Join(work, "__init__.py"), []byte("v1"), 0o644)
	os.WriteFile(filepath.Join(work, "requirements.txt"), []byte("pillow\n"), 0o644)
	gitT(t, work, "add", ".")
	gitT(t, work, "commit", "-q", "-m", "v1")
	gitT(t, work, "tag", "v1")
	v1 = gitT(t, work, "rev-parse", "HEAD")
	os.WriteFile(filepath.Join(work, "__init__.py"), []byte("v2"), 0o644)
	gitT(t, work, "commit", "-q", "-am", "v2")
	head = gitT(t, work, "rev-parse", "HEAD")
	remote = filepath.Join(root, "ComfyUI-Fake.git")
	gitT(t, root, "clone", "-q", "--bare", work, remote)
	return remote, v1, head
}

func TestGitPackLifecycle(t *testing.T) {
	remote, v1, head := fakeGitRemote(t)
	ws := t.TempDir()
	pylog := fakePython(t, ws)
	p := wsProvider(t, ws, "", "")
	ctx := context.Background()
	dir := filepath.Join(ws, "custom_nodes", "ComfyUI-Fake")

	steps := []struct {
		ref        string
		before     plugins.NodeStatus
		wantCommit string
		body       string
	}{
		{"v1", plugins.NodeAbsent, v1, "v1"},
		{"main", plugins.NodeDifferent, head, "v2"},
		{v1, plugins.NodeDifferent, v1, "v1"},
		{head[:12], plugins.NodeDifferent, head, "v2"},
	}
	for i, st := range steps {
		spec := plugins.NodeSpec{Git: remote, Ref: st.ref}
		plan, diags := p.PlanNode(ctx, spec)
		if diags.HasErrors() || plan.Status != st.before || plan.InstallMethod != methodGitClone {
			t.Fatalf("step %d: plan = %+v %v, want %v", i, plan, diags, st.before)
		}
		res, diags := p.ApplyNode(ctx, spec, nil)
		if diags.HasErrors() || res.Commit != st.wantCommit || !res.RestartRequired {
			t.Fatalf("step %d: apply = %+v %v", i, res, diags)
		}
		if b, _ := os.ReadFile(filepath.Join(dir, "__init__.py")); string(b) != st.body {
			t.Fatalf("step %d: __init__.py = %q", i, b)
		}
		if plan, _ = p.PlanNode(ctx, spec); plan.Status != plugins.NodePresent || plan.InstalledCommit != st.wantCommit {
			t.Fatalf("step %d: plan after apply = %+v", i, plan)
		}
	}
	if n := len(readLog(pylog)); n != len(steps) {
		t.Fatalf("python ran %d times, want once per install", n)
	}
	if status := gitT(t, dir, "status", "--porcelain"); status != "" {
		t.Fatalf("checkout is dirty after install: %q", status)
	}
	if _, diags := p.ApplyNode(ctx, plugins.NodeSpec{Git: remote, Ref: "no-such-tag"}, nil); !diags.HasErrors() || !strings.Contains(diags.Err().Error(), "no-such-tag") {
		t.Fatalf("bad ref: %v", diags)
	}
}

func TestGitPackErrors(t *testing.T) {
	ws := t.TempDir()
	p := wsProvider(t, ws, "", "")
	cases := []struct {
		spec plugins.NodeSpec
		want string
	}{
		{plugins.NodeSpec{Git: filepath.Join(ws, "missing", "Repo.git"), Ref: "v1"}, "Cannot clone"},
		{plugins.NodeSpec{Git: "https://example.com/owner/Repo"}, "pin `ref`"},
		{plugins.NodeSpec{Git: "https://example.com/owner/..", Ref: "x"}, "Invalid git URL"},
		{plugins.NodeSpec{Git: "https://example.com/owner/Repo", Ref: "--upload-pack=evil"}, "starts with '-'"},
		{plugins.NodeSpec{Git: "http://user:s3cret@127.0.0.1:1/owner/Private.git", Ref: "v1"}, "user:xxxxx@127.0.0.1:1"},
	}
	for _, tc := range cases {
		_, diags := p.ApplyNode(context.Background(), tc.spec, nil)
		if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), tc.want) || strings.Contains(diags.Err().Error(), "s3cret") {
			t.Errorf("%+v: %v, want %q and no secret", tc.spec, diags, tc.want)
		}
	}
	assertAbsent(t, stagingDir(filepath.Join(ws, "custom_nodes"), "Repo"), stagingDir(filepath.Join(ws, "custom_nodes"), "Private"))
}

func TestGitPackBadRefLeavesNothing(t *testing.T) {
	remote, _, _ := fakeGitRemote(t)
	ws := t.TempDir()
	p := wsProvider(t, ws, "", "")
	_, diags := p.ApplyNode(context.Background(), plugins.NodeSpec{Git: remote, Ref: "v9"}, nil)
	if !diags.HasErrors() || diags[0].AttributePath[0] != "ref" {
		t.Fatalf("diags = %v", diags)
	}
	root := filepath.Join(ws, "custom_nodes")
	assertAbsent(t, filepath.Join(root, "ComfyUI-Fake"), stagingDir(root, "ComfyUI-Fake"))
}

// TestGitPlanIgnoresTheEnclosingRepository: ComfyUI is itself a git checkout; a pack
// directory without its own .git must not report ComfyUI's commit.
func TestGitPlanIgnoresTheEnclosingRepository(t *testing.T) {
	remote, v1, _ := fakeGitRemote(t)
	ws := t.TempDir()
	gitT(t, ws, "init", "-q")
	gitT(t, ws, "commit", "-q", "--allow-empty", "-m", "comfyui")
	dir := filepath.Join(ws, "custom_nodes", "ComfyUI-Fake")
	os.MkdirAll(dir, 0o755)
	p := wsProvider(t, ws, "", "")
	plan, diags := p.PlanNode(context.Background(), plugins.NodeSpec{Git: remote, Ref: v1})
	if diags.HasErrors() || plan.Status != plugins.NodeDifferent || plan.InstalledCommit != "" {
		t.Fatalf("plan = %+v %v", plan, diags)
	}
}
