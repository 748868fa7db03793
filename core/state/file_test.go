package state

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestSaveBumpsSerialOnlyOnChange(t *testing.T) {
	path := filepath.Join(t.TempDir(), FileName)
	s, err := Load(path)
	if err != nil || s.Serial != 0 || s.Lineage == "" {
		t.Fatalf("Load of a missing file: %+v %v", s, err)
	}
	s.Provider("local").Renders["render.a"] = &RenderInstance{Address: "render.a", InputsHash: "h", Status: StatusSucceeded}
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	if s.Serial != 1 {
		t.Errorf("serial after one change and one no-op save = %d, want 1", s.Serial)
	}
	s.Provider("local").Renders["render.a"].InputsHash = "h2"
	if err := Save(path, s); err != nil {
		t.Fatal(err)
	}
	back, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if back.Serial != 2 || back.Lineage != s.Lineage || back.Providers["local"].Renders["render.a"].InputsHash != "h2" {
		t.Errorf("reloaded state differs: %+v", back)
	}
	var prev State
	data, _ := os.ReadFile(path + ".backup")
	if err := json.Unmarshal(data, &prev); err != nil || prev.Serial != 1 {
		t.Errorf("backup should hold serial 1: %v %+v", err, prev)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp-*"))
	if len(leftovers) != 0 {
		t.Errorf("temp files left behind: %v", leftovers)
	}
}

func TestLoadRejectsBadFiles(t *testing.T) {
	cases := map[string]string{
		"not json":    "{",
		"no lineage":  `{"format_version":1,"serial":3}`,
		"from future": `{"format_version":99,"lineage":"x"}`,
	}
	for name, content := range cases {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), FileName)
			os.WriteFile(path, []byte(content), 0o644)
			if _, err := Load(path); err == nil {
				t.Error("want an error")
			}
		})
	}
}
