package local

import (
	"archive/zip"
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func TestGithubArchiveURL(t *testing.T) {
	cases := map[string]string{
		"https://github.com/owner/Repo":      "https://github.com/owner/Repo/archive/v1.zip",
		"https://github.com/owner/Repo.git/": "https://github.com/owner/Repo/archive/v1.zip",
		"https://gitlab.com/owner/Repo":      "",
		"https://github.com/owner":           "",
		"https://u:tok@github.com/owner/R":   "",
		"git@github.com:owner/Repo.git":      "",
	}
	for in, want := range cases {
		got, ok := githubArchiveURL(in, "v1")
		if got != want || ok != (want != "") {
			t.Errorf("%s -> %q %v, want %q", in, got, ok, want)
		}
	}
}

func TestArchiveInstallReadsCommitFromComment(t *testing.T) {
	const commit = "0123456789abcdef0123456789abcdef01234567"
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.Create("Repo-main/__init__.py")
	w.Write([]byte("x"))
	zw.SetComment(commit)
	zw.Close()
	var asked string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked = r.URL.Path
		w.Write(buf.Bytes())
	}))
	defer srv.Close()
	old := githubArchiveBase
	githubArchiveBase = srv.URL
	t.Cleanup(func() { githubArchiveBase = old })
	t.Setenv("PATH", t.TempDir())
	p := wsProvider(t, t.TempDir(), "", "")
	res, diags := p.ApplyNode(context.Background(), plugins.NodeSpec{Git: "https://github.com/owner/Repo", Ref: "main"}, nil)
	if diags.HasErrors() || res.Commit != commit || asked != "/owner/Repo/archive/main.zip" {
		t.Fatalf("apply = %+v %v (asked %s)", res, diags, asked)
	}
	if !strings.Contains(res.Message, "GitHub's archive") {
		t.Errorf("message %q", res.Message)
	}
}
