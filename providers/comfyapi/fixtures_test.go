package comfyapi

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// fixtureDir finds ../shared/fixtures/comfyui-0.3.64 beside the module
// root, skipping the test when the shared material is absent.
func fixtureDir(t testing.TB) string {
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
			t.Skip("go.mod not found above the test directory")
		}
		dir = parent
	}
	fx := filepath.Join(dir, "..", "shared", "fixtures", "comfyui-0.3.64")
	if _, err := os.Stat(fx); err != nil {
		t.Skipf("fixtures absent (%v)", err)
	}
	return fx
}

func readFixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(fixtureDir(t), name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// frame is one server->client WebSocket message of a transcript.
type frame struct {
	binary bool
	data   []byte
}

// transcript is a parsed ws_*.jsonl: server frames in order, binary ones
// rebuilt from their recorded header fields (the captures keep only the
// first bytes of each image).
type transcript struct {
	frames   []frame
	promptID string // of the first execution_start
}

func loadTranscript(t testing.TB, name string) transcript {
	t.Helper()
	var tr transcript
	sc := bufio.NewScanner(bytes.NewReader(readFixture(t, name)))
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		var line struct {
			Meta      json.RawMessage `json:"_meta"`
			Dir       string          `json:"dir"`
			Kind      string          `json:"kind"`
			JSON      json.RawMessage `json:"json"`
			EventType uint32          `json:"event_type_u32be"`
			Second    uint32          `json:"second_u32be"`
			MetaJSON  json.RawMessage `json:"metadata_json"`
			Magic     string          `json:"image_magic_hex"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		switch {
		case line.Meta != nil || line.Dir == "client->server":
		case line.Kind == "text":
			tr.frames = append(tr.frames, frame{data: line.JSON})
			var m struct {
				Type string `json:"type"`
				Data struct {
					PromptID string `json:"prompt_id"`
				} `json:"data"`
			}
			if json.Unmarshal(line.JSON, &m) == nil && m.Type == "execution_start" && tr.promptID == "" {
				tr.promptID = m.Data.PromptID
			}
		case line.Kind == "binary":
			tr.frames = append(tr.frames, frame{binary: true, data: synthBinary(line.EventType, line.Second, line.MetaJSON)})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return tr
}

var pngMagic = []byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}

func synthBinary(kind, second uint32, meta json.RawMessage) []byte {
	b := be32bytes(kind)
	if kind == binaryPreviewImageWithMetadata {
		var compact bytes.Buffer
		_ = json.Compact(&compact, meta)
		b = append(b, be32bytes(uint32(compact.Len()))...)
		b = append(b, compact.Bytes()...)
	} else {
		b = append(b, be32bytes(second)...)
	}
	return append(b, pngMagic...)
}

func be32bytes(v uint32) []byte {
	return []byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}
}
