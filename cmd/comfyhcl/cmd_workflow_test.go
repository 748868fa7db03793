package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runWorkflowCmd(t *testing.T, dir string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	env := &Env{Stdout: &out, Stderr: &errb, Stdin: strings.NewReader(""), Dir: dir}
	code := runWorkflow(context.Background(), env, args)
	return code, out.String(), errb.String()
}

// writeWorkflowFiles writes an API workflow and a small UI workflow with its catalogue.
func writeWorkflowFiles(t *testing.T) string {
	dir := t.TempDir()
	files := map[string]string{
		"api.json": `{"3": {"class_type": "KSampler", "inputs": {"seed": 5, "steps": 20, "positive": ["6", 0]}},
		              "6": {"class_type": "CLIPTextEncode", "inputs": {"text": "a cat"}}}`,
		"ui.json": `{"nodes": [{"id": 1, "type": "EmptyLatentImage", "widgets_values": [64, 64, 1]},
		           {"id": 2, "type": "Note", "widgets_values": ["hi"]}], "links": []}`,
		"oi.json": `{"EmptyLatentImage": {"input": {"required": {"width": ["INT", {"min": 16}], "height": ["INT"], "batch_size": ["INT"]}},
		           "output": ["LATENT"], "output_name": ["LATENT"], "name": "EmptyLatentImage", "display_name": "Empty Latent Image"}}`,
		"bad.json": "{\n  \"3\": {,}\n}",
	}
	for name, body := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestWorkflowCommand(t *testing.T) {
	dir := writeWorkflowFiles(t)

	code, out, errs := runWorkflowCmd(t, dir, "schema", "api.json")
	if code != exitOK || !strings.Contains(out, "prompt") || !strings.Contains(out, "seed") {
		t.Fatalf("schema: %d %s %s", code, out, errs)
	}
	code, out, _ = runWorkflowCmd(t, dir, "schema", "api.json", "-json")
	var js struct{ Params []map[string]any }
	if code != exitOK || json.Unmarshal([]byte(out), &js) != nil || len(js.Params) != 3 {
		t.Fatalf("schema -json: %d %s", code, out)
	}
	code, out, errs = runWorkflowCmd(t, dir, "convert", "ui.json", "-object-info", "oi.json")
	if code != exitOK || !strings.Contains(out, `"width": 64`) || strings.Contains(out, "Note") || !strings.Contains(errs, "UI format") {
		t.Fatalf("convert: %d %s %s", code, out, errs)
	}
	code, out, _ = runWorkflowCmd(t, dir, "import", "api.json", "-name", "hero")
	if code != exitOK || !strings.Contains(out, `render "hero"`) || !strings.Contains(out, `prompt = "a cat"`) {
		t.Fatalf("import: %d %s", code, out)
	}
	code, _, errs = runWorkflowCmd(t, dir, "schema", "bad.json")
	if code != exitError || !strings.Contains(errs, "bad.json:2:9") {
		t.Fatalf("bad JSON: %d %s", code, errs)
	}
	code, _, errs = runWorkflowCmd(t, dir, "frobnicate", "x")
	if code != exitError || !strings.Contains(errs, "Usage: comfyhcl workflow") {
		t.Fatalf("usage: %d %s", code, errs)
	}
}
