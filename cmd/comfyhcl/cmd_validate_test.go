package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// updateGolden is -update when another test file of this package defines it (package
// vars run before init), else our own.
var updateGolden *bool

func init() {
	if f := flag.Lookup("update"); f != nil {
		updateGolden = new(bool)
		*updateGolden = f.Value.String() == "true"
		return
	}
	updateGolden = flag.Bool("update", false, "rewrite golden files under testdata/")
}

func goldenUpdate() bool {
	if f := flag.Lookup("update"); f != nil {
		return f.Value.String() == "true"
	}
	return *updateGolden
}

// checkGolden compares got with testdata file path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	if goldenUpdate() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s (run go test -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (go test -update rewrites it):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

func runCmd(t *testing.T, run func(context.Context, *Env, []string) int, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Dir: dir}
	code = run(context.Background(), env, args)
	return out.String(), errb.String(), code
}

func TestValidateGolden(t *testing.T) {
	for _, name := range []string{"valid", "errors", "warnings"} {
		t.Run(name, func(t *testing.T) {
			dir, err := filepath.Abs(filepath.Join("testdata", "validate", name))
			if err != nil {
				t.Fatal(err)
			}
			stdout, stderr, code := runCmd(t, runValidate, dir)
			human := fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
			checkGolden(t, filepath.Join(dir, "human.golden"), []byte(human))
			stdout, _, jcode := runCmd(t, runValidate, dir, "-json")
			if jcode != code {
				t.Errorf("-json exit %d, human exit %d", jcode, code)
			}
			checkGolden(t, filepath.Join(dir, "json.golden"), []byte(stdout))
			if strings.Contains(human+stdout, "s3cr3t") {
				t.Error("validate printed a sensitive value")
			}
		})
	}
}

func TestValidateDirArgument(t *testing.T) {
	parent, _ := filepath.Abs(filepath.Join("testdata", "validate"))
	stdout, stderr, code := runCmd(t, runValidate, parent, "errors")
	if code != exitError || !strings.Contains(stderr, "errors/main.comfy.hcl:10:3") {
		t.Fatalf("code %d\n%s%s", code, stdout, stderr)
	}
	_, stderr, code = runCmd(t, runValidate, t.TempDir())
	if code != exitError || !strings.Contains(stderr, "No configuration files") {
		t.Fatalf("empty dir: code %d %s", code, stderr)
	}
	_, _, code = runCmd(t, runValidate, parent, "a", "b")
	if code != exitError {
		t.Fatal("two directories accepted")
	}
}
