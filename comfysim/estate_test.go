package comfysim

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func get(t *testing.T, u string, hdr map[string]string) (int, http.Header, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

func TestModelHost(t *testing.T) {
	s := startSim(t, Options{})
	const size = 100003
	u := s.ModelFileURL("sdxl/model one.safetensors", size)
	code, hdr, body := get(t, u, nil)
	if code != 200 || int64(len(body)) != size || sha(body) != ModelFileSHA256("sdxl/model one.safetensors", size) {
		t.Fatalf("full: %d, %d bytes, sha %s", code, len(body), sha(body))
	}
	if !strings.Contains(hdr.Get("Content-Disposition"), "model one.safetensors") {
		t.Errorf("disposition %q", hdr.Get("Content-Disposition"))
	}
	code, _, part := get(t, u, map[string]string{"Range": "bytes=50000-50999"})
	if code != 206 || !bytes.Equal(part, body[50000:51000]) {
		t.Fatalf("range: %d", code)
	}
	_, _, bad := get(t, u+"?corrupt=1", nil)
	if len(bad) != size || sha(bad) == sha(body) {
		t.Fatal("corrupt variant has the right hash")
	}
	if code, _, _ := get(t, s.URL()+"/files/abc/x.bin", nil); code != 400 {
		t.Errorf("bad size: %d", code)
	}
	if !bytes.Equal(ModelFileBytes("sdxl/model one.safetensors", size), body) {
		t.Error("ModelFileBytes differs")
	}
}

func TestRegistry(t *testing.T) {
	s := startSim(t, Options{})
	base := s.RegistryURL()
	_, _, n := doJSON(t, "GET", base+"/nodes/comfysim-blur-pack", nil)
	if v := n.(map[string]any)["latest_version"].(map[string]any)["version"]; v != "1.1.0" {
		t.Fatalf("latest %v", v)
	}
	cases := []struct {
		path string
		code int
	}{
		{"/nodes/comfysim-blur-pack/install?version=1.0.0", 200},
		{"/nodes/comfysim-blur-pack/install", 200},
		{"/nodes/comfysim-blur-pack/install?version=9.9.9", 404},
		{"/nodes/comfysim-blur-pack/install?version=banana", 400},
		{"/nodes/nope/install", 404},
		{"/nodes/comfysim-blur-pack/versions", 200},
		{"/nodes", 200},
		{"/comfy-nodes/SimColorize/node", 200},
		{"/comfy-nodes/KSampler/node", 404},
	}
	for _, c := range cases {
		if code, _, _ := doJSON(t, "GET", base+c.path, nil); code != c.code {
			t.Errorf("%s: %d, want %d", c.path, code, c.code)
		}
	}
	_, _, nv := doJSON(t, "GET", base+"/nodes/comfysim-blur-pack/install?version=1.0.0", nil)
	code, _, zb := get(t, nv.(map[string]any)["downloadUrl"].(string), nil)
	if code != 200 {
		t.Fatalf("download %d", code)
	}
	names := zipNames(t, zb)
	if d := cmp.Diff([]string{"__init__.py", "comfysim.json", "pyproject.toml", "requirements.txt"}, names); d != "" {
		t.Fatal(d)
	}
	_, _, zb2 := get(t, nv.(map[string]any)["downloadUrl"].(string), nil)
	if !bytes.Equal(zb, zb2) {
		t.Error("pack zip is not deterministic")
	}
	code, _, gz := get(t, base+"/git/comfysim/comfysim-color-pack/archive/0123abcd.zip", nil)
	if code != 200 || zipNames(t, gz)[0] != "comfysim-color-pack-0123abcd/__init__.py" {
		t.Fatalf("git archive: %d %v", code, zipNames(t, gz))
	}
}

func zipNames(t *testing.T, b []byte) []string {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, f := range zr.File {
		out = append(out, f.Name)
	}
	return out
}

// TestWorkspacePackInstall: a client with workspace access extracts a
// registry zip into custom_nodes/<id>; after a restart the classes exist.
func TestWorkspacePackInstall(t *testing.T) {
	ws := t.TempDir()
	s := startSim(t, Options{ModelsDir: filepath.Join(ws, "models")})
	if s.CustomNodesDir() != filepath.Join(ws, "custom_nodes") {
		t.Fatalf("custom nodes dir %s", s.CustomNodesDir())
	}
	p, _ := s.pack("comfysim-color-pack")
	if err := s.extractPack("comfysim-color-pack", packZip(p, "0.2.0", "")); err != nil {
		t.Fatal(err)
	}
	_, _, before := doJSON(t, "GET", s.URL()+"/object_info/SimColorize", nil)
	if len(before.(map[string]any)) != 0 {
		t.Fatal("class loaded before restart")
	}
	s.Restart()
	_, _, after := doJSON(t, "GET", s.URL()+"/object_info/SimColorize", nil)
	e := after.(map[string]any)["SimColorize"].(map[string]any)
	if e["python_module"] != "custom_nodes.comfysim-color-pack" {
		t.Fatalf("entry %v", e)
	}
	c := dialWS(t, s.URL(), "/ws", "c")
	c.next()
	graph := invertGraph(5, "pack")
	graph["2"] = map[string]any{"class_type": "SimColorize", "inputs": map[string]any{"image": []any{"1", 0}, "strength": 2.0}}
	submit(t, s, "/prompt", map[string]any{"prompt": graph, "client_id": "c"})
	for _, m := range c.until(isExecutingNull) {
		if m["type"] == "execution_error" {
			t.Fatalf("pack node failed: %v", m)
		}
	}
}

func postJSON(t *testing.T, u string, body any) int {
	t.Helper()
	b, _ := jsonMarshal(body)
	resp, err := http.Post(u, "application/json", bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

func TestManagerLegacy(t *testing.T) {
	ws := t.TempDir()
	s := startSim(t, Options{ModelsDir: filepath.Join(ws, "models"), Manager: "legacy"})
	obs := dialWS(t, s.URL(), "/ws", "obs")
	obs.next()
	if code := postJSON(t, s.URL()+"/manager/queue/install", map[string]any{"id": "comfysim-blur-pack", "version": "1.0.0", "selected_version": "1.0.0", "ui_id": "u1", "channel": "default", "mode": "cache"}); code != 200 {
		t.Fatalf("install: %d", code)
	}
	murl := s.ModelFileURL("sim_xl.safetensors", 4096)
	if code := postJSON(t, s.URL()+"/api/manager/queue/install_model", map[string]any{"name": "x", "type": "checkpoint", "base": "SDXL", "save_path": "default", "url": murl, "filename": "sim_xl.safetensors", "ui_id": "m1"}); code != 200 {
		t.Fatalf("install_model: %d", code)
	}
	if code := postJSON(t, s.URL()+"/manager/queue/install_model", map[string]any{"url": "https://example.com/x.safetensors", "filename": "x.safetensors", "ui_id": "m2"}); code != 403 {
		t.Fatalf("foreign model URL: %d", code)
	}
	if code := postJSON(t, s.URL()+"/manager/queue/start", map[string]any{}); code != 200 {
		t.Fatalf("start: %d", code)
	}
	msgs := obs.until(func(m map[string]any) bool {
		d, _ := m["data"].(map[string]any)
		return m["type"] == "cm-queue-status" && d["status"] == "done"
	})
	final := msgs[len(msgs)-1]["data"].(map[string]any)
	if d := cmp.Diff(map[string]any{"u1": "success"}, final["nodepack_result"]); d != "" {
		t.Fatal(d)
	}
	if d := cmp.Diff(map[string]any{"m1": "success"}, final["model_result"]); d != "" {
		t.Fatal(d)
	}
	b, err := os.ReadFile(filepath.Join(ws, "models", "checkpoints", "sim_xl.safetensors"))
	if err != nil || sha(b) != ModelFileSHA256("sim_xl.safetensors", 4096) {
		t.Fatalf("installed model: %v", err)
	}
	_, _, inst := doJSON(t, "GET", s.URL()+"/customnode/installed", nil)
	if d := cmp.Diff(map[string]any{"comfysim-blur-pack": map[string]any{"ver": "1.0.0", "cnr_id": "comfysim-blur-pack", "aux_id": nil, "enabled": true}}, inst); d != "" {
		t.Fatal(d)
	}
	_, _, st := doJSON(t, "GET", s.URL()+"/manager/queue/status", nil)
	if st.(map[string]any)["done_count"] != 2.0 || st.(map[string]any)["is_processing"] != false {
		t.Fatalf("status %v", st)
	}
	if code := postJSON(t, s.URL()+"/manager/reboot", map[string]any{}); code != 200 {
		t.Fatal(code)
	}
	_, _, oi := doJSON(t, "GET", s.URL()+"/object_info/SimBlur", nil)
	if _, ok := oi.(map[string]any)["SimBlur"]; !ok {
		t.Fatal("SimBlur not loaded after reboot")
	}
	_, _, ck := doJSON(t, "GET", s.URL()+"/models/checkpoints", nil)
	if d := cmp.Diff([]any{"sim_xl.safetensors"}, ck); d != "" {
		t.Fatal(d)
	}
}

func TestManagerV2(t *testing.T) {
	s := startSim(t, Options{Manager: "v2"})
	if code, _, _ := doJSON(t, "GET", s.URL()+"/manager/queue/status", nil); code != 404 {
		t.Fatalf("legacy route on v2: %d", code)
	}
	task := func(ui, kind string, params map[string]any) {
		if code := postJSON(t, s.URL()+"/v2/manager/queue/task", map[string]any{"ui_id": ui, "client_id": "c", "kind": kind, "params": params}); code != 200 {
			t.Fatalf("task %s: %d", kind, code)
		}
	}
	if code := postJSON(t, s.URL()+"/v2/manager/queue/task", map[string]any{"kind": "explode", "params": map[string]any{}}); code != 400 {
		t.Fatalf("bad task: %d", code)
	}
	obs := dialWS(t, s.URL(), "/ws", "c")
	obs.next()
	task("a", "install", map[string]any{"id": "comfysim-color-pack", "version": "0.2.0", "selected_version": "latest", "mode": "remote", "channel": "default"})
	task("b", "install", map[string]any{"id": "no-such-pack", "selected_version": "latest"})
	task("c", "install", map[string]any{"id": "comfysim-blur-pack", "selected_version": "nightly", "repository": "https://github.com/comfysim/comfysim-blur-pack"})
	postJSON(t, s.URL()+"/v2/manager/queue/start", map[string]any{})
	var kinds []string
	obs.until(func(m map[string]any) bool {
		kinds = append(kinds, m["type"].(string))
		d, _ := m["data"].(map[string]any)
		return m["type"] == "cm-queue-status" && d["status"] == "done"
	})
	if n := strings.Count(strings.Join(kinds, " "), "cm-task-completed"); n != 3 {
		t.Fatalf("messages %v", kinds)
	}
	_, _, h := doJSON(t, "GET", s.URL()+"/v2/manager/queue/history", nil)
	hist := h.(map[string]any)["history"].(map[string]any)
	if hist["a"].(map[string]any)["result"] != "success" || hist["b"].(map[string]any)["status"] != "error" {
		t.Fatalf("history %v", hist)
	}
	_, _, inst := doJSON(t, "GET", s.URL()+"/v2/customnode/installed", nil)
	im := inst.(map[string]any)
	if im["comfysim-blur-pack"].(map[string]any)["aux_id"] != "comfysim/comfysim-blur-pack" || im["comfysim-color-pack"].(map[string]any)["cnr_id"] != "comfysim-color-pack" {
		t.Fatalf("installed %v", im)
	}
}

func TestModelContentRandomAccess(t *testing.T) {
	full := ModelFileBytes("x", 1000)
	m := newModelContent("x", 1000, false)
	for _, c := range [][2]int{{0, 1000}, {3, 17}, {7, 9}, {8, 16}, {995, 5}, {1, 998}} {
		buf := make([]byte, c[1])
		if _, err := m.ReadAt(buf, int64(c[0])); err != nil && c[0]+c[1] < 1000 {
			t.Fatal(err)
		}
		if !bytes.Equal(buf, full[c[0]:c[0]+c[1]]) {
			t.Fatalf("ReadAt(%d, %d) differs", c[0], c[1])
		}
	}
}

func TestControlRoutes(t *testing.T) {
	for _, flavor := range []string{"local", "cloud"} {
		s := startSim(t, Options{Flavor: flavor})
		resp, err := http.Post(s.URL()+"/comfysim/faults", "text/plain", strings.NewReader("fail-class=ImageInvert\nstep-delay=5ms\n"))
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%s: set faults: %v %v", flavor, err, resp)
		}
		resp.Body.Close()
		if f := s.currentFaults(); f.FailClass != "ImageInvert" || f.StepDelay.Milliseconds() != 5 {
			t.Fatalf("faults %+v", f)
		}
		resp, _ = http.Post(s.URL()+"/comfysim/faults", "text/plain", strings.NewReader("bogus=1"))
		if resp.StatusCode != 400 {
			t.Fatalf("bad fault: %d", resp.StatusCode)
		}
		resp.Body.Close()
		_, _, st := doJSON(t, "GET", s.URL()+"/comfysim/stats", nil)
		if st.(map[string]any)["requests"].(map[string]any)["POST /comfysim/faults"] != 2.0 {
			t.Fatalf("stats %v", st)
		}
		if code := postJSON(t, s.URL()+"/comfysim/restart", nil); code != 200 {
			t.Fatal(code)
		}
	}
}
