package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTemp(t *testing.T, dir, name, src string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readString(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestFmtGoldenAndIdempotent(t *testing.T) {
	src := readString(t, filepath.Join("testdata", "fmt", "messy.in.hcl"))
	dir := t.TempDir()
	p := writeTemp(t, dir, "main.comfy.hcl", src)

	stdout, stderr, code := runCmd(t, runFmt, dir, "-check", "-diff")
	if code != exitFmtCheck {
		t.Fatalf("-check on a messy file: exit %d, %s", code, stderr)
	}
	if readString(t, p) != src {
		t.Fatal("-check wrote the file")
	}
	checkGolden(t, filepath.Join("testdata", "fmt", "messy.diff.golden"), []byte(stdout))

	stdout, stderr, code = runCmd(t, runFmt, dir)
	if code != exitOK || stdout != "main.comfy.hcl\n" {
		t.Fatalf("fmt: exit %d, stdout %q, stderr %s", code, stdout, stderr)
	}
	formatted := readString(t, p)
	checkGolden(t, filepath.Join("testdata", "fmt", "messy.golden"), []byte(formatted))

	stdout, _, code = runCmd(t, runFmt, dir, "-check")
	if code != exitOK || stdout != "" {
		t.Fatalf("fmt is not idempotent: exit %d, %q", code, stdout)
	}
	if readString(t, p) != formatted {
		t.Fatal("second fmt changed the file")
	}
}

func TestFmtWriteFalseAndList(t *testing.T) {
	dir := t.TempDir()
	p := writeTemp(t, dir, "a.comfy.hcl", "locals {\na=1\n}\n")
	stdout, _, code := runCmd(t, runFmt, dir, "-write=false")
	if code != exitOK || stdout != "a.comfy.hcl\n" || readString(t, p) != "locals {\na=1\n}\n" {
		t.Fatalf("-write=false: exit %d %q", code, stdout)
	}
	stdout, _, code = runCmd(t, runFmt, dir, "-list=false")
	if code != exitOK || stdout != "" || readString(t, p) != "locals {\n  a = 1\n}\n" {
		t.Fatalf("-list=false: exit %d %q %q", code, stdout, readString(t, p))
	}
}

func TestFmtRecursiveAndFileSelection(t *testing.T) {
	dir := t.TempDir()
	writeTemp(t, dir, "top.comfy.hcl", "locals {\na=1\n}\n")
	writeTemp(t, dir, "comfyhcl.vars.hcl", "a=1\n")
	writeTemp(t, dir, "notes.txt", "a=1\n")
	writeTemp(t, dir, "sub/inner.comfy.hcl", "locals {\nb=1\n}\n")
	writeTemp(t, dir, ".comfyhcl/hidden.comfy.hcl", "locals {\nc=1\n}\n")
	stdout, _, code := runCmd(t, runFmt, dir, "-check")
	if code != exitFmtCheck || stdout != "comfyhcl.vars.hcl\ntop.comfy.hcl\n" {
		t.Fatalf("non-recursive: exit %d %q", code, stdout)
	}
	stdout, _, code = runCmd(t, runFmt, dir, "-check", "-recursive")
	if code != exitFmtCheck || stdout != "comfyhcl.vars.hcl\nsub/inner.comfy.hcl\ntop.comfy.hcl\n" {
		t.Fatalf("recursive: exit %d %q", code, stdout)
	}
	stdout, _, code = runCmd(t, runFmt, dir, "-check", "sub/inner.comfy.hcl")
	if code != exitFmtCheck || stdout != "sub/inner.comfy.hcl\n" {
		t.Fatalf("file argument: exit %d %q", code, stdout)
	}
	_, stderr, code := runCmd(t, runFmt, dir, "missing.comfy.hcl")
	if code != exitError || !strings.Contains(stderr, "no file or directory") {
		t.Fatalf("missing path: exit %d %q", code, stderr)
	}
}

func TestFmtSyntaxErrorLeavesFileAlone(t *testing.T) {
	dir := t.TempDir()
	bad := "model \"m\" {\n  folder = = 1\n}\n"
	p := writeTemp(t, dir, "bad.comfy.hcl", bad)
	good := writeTemp(t, dir, "good.comfy.hcl", "locals {\na=1\n}\n")
	_, stderr, code := runCmd(t, runFmt, dir)
	if code != exitError || !strings.Contains(stderr, "bad.comfy.hcl:2:12") {
		t.Fatalf("exit %d, stderr %s", code, stderr)
	}
	if readString(t, p) != bad {
		t.Fatal("fmt rewrote a file with syntax errors")
	}
	if readString(t, good) != "locals {\n  a = 1\n}\n" {
		t.Fatal("a syntax error elsewhere stopped fmt formatting the other files")
	}
}

func TestFmtStdin(t *testing.T) {
	var out, errb strings.Builder
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader("locals {\na=1\n}\n"), Dir: t.TempDir()}
	if code := runFmt(t.Context(), env, []string{"-"}); code != exitOK || out.String() != "locals {\n  a = 1\n}\n" {
		t.Fatalf("exit %d %q %s", code, out.String(), errb.String())
	}
}
