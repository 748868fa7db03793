package comfyapi

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSafeRelPath(t *testing.T) {
	cases := []struct {
		sub, name string
		flat      bool
		want      string // "" means refused
	}{
		{"", "a.png", false, "a.png"},
		{"video", "clip.mp4", false, "video/clip.mp4"},
		{"a/b", "x.png", false, "a/b/x.png"},
		{`win\sub`, "x.png", false, "win/sub/x.png"},
		{"./a//b/", "x.png", false, "a/b/x.png"},
		{"a/b", "x.png", true, "x.png"},
		{"", "", false, ""},
		{"", "..", false, ""},
		{"", ".", false, ""},
		{"", "../x.png", false, ""},
		{"", "a/x.png", false, ""},
		{"", `a\x.png`, false, ""},
		{"", "/etc/passwd", false, ""},
		{"", "C:evil.png", false, ""},
		{"", "x\x00.png", false, ""},
		{"", "x\n.png", false, ""},
		{"..", "x.png", false, ""},
		{"a/../../b", "x.png", false, ""},
		{`..\..`, "x.png", false, ""},
		{"/abs", "x.png", false, ""},
		{`\\server\share`, "x.png", false, ""},
		{"C:/Windows", "x.png", false, ""},
		{"..", "x.png", true, "x.png"}, // flat ignores the subfolder
	}
	for _, tc := range cases {
		got, err := safeRelPath(tc.sub, tc.name, tc.flat)
		if tc.want == "" {
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Errorf("safeRelPath(%q, %q) = %q, %v; want refusal", tc.sub, tc.name, got, err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("safeRelPath(%q, %q, %v) = %q, %v; want %q", tc.sub, tc.name, tc.flat, got, err, tc.want)
		}
	}
}

// FuzzSafeRelPath: whatever the server sends, an accepted path is local
// (no escape, not absolute) and names a file, not a directory reference.
func FuzzSafeRelPath(f *testing.F) {
	for _, seed := range [][2]string{{"", "a.png"}, {"..", "x"}, {"a/../..", "b"}, {`\..\`, "c"}, {"/", "d"}, {"x", "..."}} {
		f.Add(seed[0], seed[1], false)
	}
	f.Fuzz(func(t *testing.T, sub, name string, flat bool) {
		rel, err := safeRelPath(sub, name, flat)
		if err != nil {
			return
		}
		native := filepath.FromSlash(rel)
		if !filepath.IsLocal(native) || strings.Contains(rel, `\`) || strings.HasSuffix(rel, "/") {
			t.Fatalf("accepted unsafe path %q from (%q, %q)", rel, sub, name)
		}
		for _, part := range strings.Split(rel, "/") {
			if part == ".." || part == "." || part == "" {
				t.Fatalf("accepted %q with component %q", rel, part)
			}
		}
	})
}

func TestPrepareDirRefusesSymlinkEscape(t *testing.T) {
	root, outside := t.TempDir(), t.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "link")); err != nil {
		t.Skip("symlinks unavailable:", err)
	}
	if _, err := prepareDir(root, []string{"link", "deeper"}); err == nil {
		t.Fatal("followed a symlink out of the root")
	}
	if _, err := os.Stat(filepath.Join(outside, "deeper")); err == nil {
		t.Fatal("created a directory outside the root")
	}
	// A symlink that stays inside the root is fine.
	if err := os.Mkdir(filepath.Join(root, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(filepath.Join(root, "real"), filepath.Join(root, "inner")); err != nil {
		t.Fatal(err)
	}
	if _, err := prepareDir(root, []string{"inner", "x"}); err != nil {
		t.Fatalf("inner symlink refused: %v", err)
	}
}

// FuzzPlaceOutput drives the real placement (directories created, name
// claimed) with server-supplied names in a root that holds a symlink to a
// directory outside it: nothing may be created outside, and the claimed
// file must resolve inside the root.
func FuzzPlaceOutput(f *testing.F) {
	for _, seed := range [][2]string{{"", "a.png"}, {"escape", "x.png"}, {"escape/deeper", "y"}, {"a/b", "c.png"}, {"..", "z"}} {
		f.Add(seed[0], seed[1], false)
	}
	root, outside := f.TempDir(), f.TempDir()
	if err := os.Symlink(outside, filepath.Join(root, "escape")); err != nil {
		f.Skip("symlinks unavailable:", err)
	}
	realRoot, _ := filepath.EvalSymlinks(root)
	f.Fuzz(func(t *testing.T, sub, name string, flat bool) {
		p, err := placeOutput(root, FileRef{Subfolder: sub, Filename: name}, DownloadOptions{Flat: flat})
		if entries, _ := os.ReadDir(outside); len(entries) != 0 {
			t.Fatalf("(%q, %q) created %v outside the root", sub, name, entries)
		}
		if err != nil {
			return
		}
		final := filepath.Join(p.dir, p.name)
		defer os.Remove(final)
		resolved, err := filepath.EvalSymlinks(final)
		if err != nil || !within(realRoot, resolved) {
			t.Fatalf("(%q, %q) placed at %s (%v), outside %s", sub, name, resolved, err, realRoot)
		}
	})
}
