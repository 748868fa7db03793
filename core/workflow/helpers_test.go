package workflow

import (
	"flag"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files under testdata/")

// sharedDir finds ../shared beside the module root, or skips the test.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("go.mod not found")
		}
		dir = parent
	}
	shared := filepath.Join(filepath.Dir(dir), "shared")
	if _, err := os.Stat(filepath.Join(shared, "fixtures")); err != nil {
		t.Skip("../shared/fixtures not present")
	}
	return shared
}

func fixture(t testing.TB, rel string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedDir(t), "fixtures", rel))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

var (
	realOnce sync.Once
	realOI   *ObjectInfo
	realErr  error
)

// realObjectInfo is the /object_info of ComfyUI 0.3.64.
func realObjectInfo(t testing.TB) *ObjectInfo {
	t.Helper()
	data := fixture(t, "comfyui-0.3.64/object_info.json")
	realOnce.Do(func() { realOI, realErr = ParseObjectInfo(data) })
	if realErr != nil {
		t.Fatal(realErr)
	}
	return realOI
}

func testdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// golden compares got with testdata/<name>, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if string(want) != string(got) {
		t.Errorf("%s differs from golden file (run with -update to accept):\n--- got ---\n%s", name, got)
	}
}

// mustGraph decodes an API-format JSON literal.
func mustGraph(t testing.TB, src string) Graph {
	t.Helper()
	g, _, diags := Load("test.json", []byte(src), nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	return g
}

// tryRealObjectInfo returns the real catalogue, or nil when the fixtures are absent.
func tryRealObjectInfo() *ObjectInfo {
	dir, _ := os.Getwd()
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil
		}
		dir = parent
	}
	data, err := os.ReadFile(filepath.Join(filepath.Dir(dir), "shared", "fixtures", "comfyui-0.3.64", "object_info.json"))
	if err != nil {
		return nil
	}
	realOnce.Do(func() { realOI, realErr = ParseObjectInfo(data) })
	return realOI
}
