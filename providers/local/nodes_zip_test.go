package local

import (
	"archive/zip"
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// zipEntry is one archive member for buildZip; Link makes it a symlink to Link.
type zipEntry struct {
	Name, Body, Link string
	Exec             bool
}

func buildZip(t testing.TB, entries []zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.Name, Method: zip.Deflate}
		body := e.Body
		switch {
		case e.Link != "":
			h.SetMode(fs.ModeSymlink | 0o777)
			body = e.Link
		case strings.HasSuffix(e.Name, "/"):
			h.SetMode(fs.ModeDir | 0o755)
		case e.Exec:
			h.SetMode(0o755)
		default:
			h.SetMode(0o644)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(body))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestExtractZip(t *testing.T) {
	cases := []struct {
		name    string
		entries []zipEntry
		want    map[string]string // relative path -> content
		errLike string
	}{
		{name: "flat pack", entries: []zipEntry{{Name: "__init__.py", Body: "x"}, {Name: "nodes/a.py", Body: "a"}, {Name: "run.sh", Body: "#!", Exec: true}},
			want: map[string]string{"__init__.py": "x", "nodes/a.py": "a", "run.sh": "#!"}},
		{name: "one top dir is stripped", entries: []zipEntry{{Name: "Pack-1.0/"}, {Name: "Pack-1.0/__init__.py", Body: "i"}, {Name: "Pack-1.0/sub/b.py", Body: "b"}},
			want: map[string]string{"__init__.py": "i", "sub/b.py": "b"}},
		{name: "zip slip", entries: []zipEntry{{Name: "__init__.py"}, {Name: "../../evil.py", Body: "pwned"}}, errLike: `contains ".."`},
		{name: "nested zip slip", entries: []zipEntry{{Name: "a/../../evil.py", Body: "pwned"}}, errLike: `contains ".."`},
		{name: "absolute", entries: []zipEntry{{Name: "/tmp/evil.py", Body: "pwned"}}, errLike: "is absolute"},
		{name: "backslash slip", entries: []zipEntry{{Name: `..\evil.py`, Body: "pwned"}}, errLike: `contains ".."`},
		{name: "drive letter", entries: []zipEntry{{Name: `C:\evil.py`}}, errLike: "drive letter"},
		{name: "windows dots", entries: []zipEntry{{Name: `.. /evil.py`}}, errLike: "only dots and spaces"},
		{name: "symlink out", entries: []zipEntry{{Name: "link", Link: "../../../etc"}, {Name: "link/passwd", Body: "x"}}, errLike: "symlink"},
		{name: "duplicate entry", entries: []zipEntry{{Name: "a.py", Body: "1"}, {Name: "a.py", Body: "2"}}, errLike: "exists"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tmp := t.TempDir()
			src := filepath.Join(tmp, "p.zip")
			os.WriteFile(src, buildZip(t, tc.entries), 0o644)
			dest := filepath.Join(tmp, "out", "pack")
			os.MkdirAll(filepath.Dir(dest), 0o755)
			err := extractZip(src, dest)
			if tc.errLike != "" {
				if err == nil || !strings.Contains(err.Error(), tc.errLike) {
					t.Fatalf("err = %v, want %q", err, tc.errLike)
				}
				for _, outside := range []string{filepath.Join(tmp, "evil.py"), filepath.Join(tmp, "out", "evil.py")} {
					assertAbsent(t, outside)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for rel, body := range tc.want {
				got, err := os.ReadFile(filepath.Join(dest, filepath.FromSlash(rel)))
				if err != nil || string(got) != body {
					t.Errorf("%s = %q, %v; want %q", rel, got, err, body)
				}
			}
			if fi, err := os.Stat(filepath.Join(dest, "run.sh")); err == nil && fi.Mode()&0o100 == 0 {
				t.Errorf("run.sh lost its exec bit: %v", fi.Mode())
			}
		})
	}
}

func FuzzZipEntryPath(f *testing.F) {
	for _, s := range []string{"a.py", "../x", "/abs", `..\x`, "a/./b", "C:x", "a//b/", "...", ".. /x", "a/..", "\x00", "a:b"} {
		f.Add(s)
	}
	root := filepath.Join(string(filepath.Separator), "root", "pack")
	f.Fuzz(func(t *testing.T, name string) {
		rel, err := zipEntryPath(name)
		if err != nil {
			return
		}
		if rel == "" || filepath.IsAbs(rel) {
			t.Fatalf("%q -> %q: empty or absolute", name, rel)
		}
		joined := filepath.Join(root, rel)
		if !within(root, joined) || joined == root {
			t.Fatalf("%q -> %q escapes %s", name, joined, root)
		}
		for _, part := range strings.Split(filepath.ToSlash(rel), "/") {
			if part == ".." || part == "" {
				t.Fatalf("%q -> %q has component %q", name, rel, part)
			}
		}
	})
}
