package cloud

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// storageServer plays signed storage on 127.0.0.2 (127.0.0.1 when the host lacks it):
// 403 to any request with credentials, the file otherwise.
func storageServer(t *testing.T, files map[string][]byte) (*httptest.Server, *int) {
	t.Helper()
	leaks := new(int)
	var mu sync.Mutex
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != "" || r.Header.Get("Authorization") != "" || r.Header.Get("Cookie") != "" {
			mu.Lock()
			*leaks++
			mu.Unlock()
			w.WriteHeader(http.StatusForbidden)
			return
		}
		data, ok := files[strings.TrimPrefix(r.URL.Path, "/o/")]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(data)
	}))
	if ln, err := net.Listen("tcp", "127.0.0.2:0"); err == nil {
		srv.Listener.Close()
		srv.Listener = ln
	}
	srv.Start()
	t.Cleanup(srv.Close)
	return srv, leaks
}

// TestFetchVideoAndAudioOutputs: Cloud reports videos under `video`; every file goes
// through the 302 to storage without the key.
func TestFetchVideoAndAudioOutputs(t *testing.T) {
	files := map[string][]byte{"clip.mp4": []byte("\x00\x00\x00\x18ftypmp42 fake video"), "voice.flac": []byte("fLaC fake audio")}
	storage, leaks := storageServer(t, files)
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-API-Key") != testKey {
			w.WriteHeader(401)
			return
		}
		switch r.URL.Path {
		case "/api/history_v2/p1":
			w.Write([]byte(`{"p1": {"prompt": {"priority": 0, "prompt_id": "p1", "prompt": {}, "extra_data": {}, "outputs_to_execute": ["12", "13"]},
				"outputs": {"12": {"video": [{"filename": "clip.mp4", "subfolder": "", "type": "output"}], "animated": [true]},
				            "13": {"audio": [{"filename": "voice.flac", "subfolder": "", "type": "output"}]}},
				"status": {"status_str": "success", "completed": true, "messages": []}, "meta": {}}}`))
		case "/api/view":
			http.Redirect(w, r, storage.URL+"/o/"+r.URL.Query().Get("filename")+"?X-Goog-Signature=abc", http.StatusFound)
		default:
			w.WriteHeader(404)
		}
	}))
	defer api.Close()
	p, _ := serve(t, api.URL, nil)
	res, d := p.Fetch(testCtx(t), plugins.FetchRequest{PromptID: "p1", OutputDir: t.TempDir()})
	if d.HasErrors() || res.Status != plugins.JobSucceeded || len(res.Files) != 2 {
		t.Fatalf("fetch: %+v %v", res, d)
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	for i, name := range []string{"clip.mp4", "voice.flac"} {
		sum := sha256.Sum256(files[name])
		if f := res.Files[i]; f.Path != name || f.SHA256 != hex.EncodeToString(sum[:]) {
			t.Errorf("file %d: %+v", i, f)
		}
	}
	if *leaks != 0 {
		t.Errorf("storage saw credentials %d times", *leaks)
	}
}

// TestInventoryEmptyVersusMissingFolders: 200 [] is an empty folder, 404
// folder_not_found a missing one; a legacy name is found under its alias.
func TestInventoryEmptyVersusMissingFolders(t *testing.T) {
	api := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/system_stats":
			w.Write([]byte(`{"system": {"comfyui_version": "0.3.64", "cloud_version": "c1", "ram_total": 100, "ram_free": 50}, "devices": [{"name": "H100", "type": "cuda", "vram_total": 80, "vram_free": 70}]}`))
		case "/api/experiment/models/loras":
			w.Write([]byte(`[]`))
		case "/api/experiment/models/clip":
			w.Write([]byte(`[{"name": "t5xxl.safetensors", "pathIndex": 0}]`))
		default:
			w.WriteHeader(404)
			w.Write([]byte(`{"code": "folder_not_found", "message": "Folder not found"}`))
		}
	}))
	defer api.Close()
	p, _ := serve(t, api.URL, nil)
	inv, d := p.Inventory(testCtx(t), plugins.InventoryRequest{ModelFolders: []string{"loras", "vae", "text_encoders"}})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if l, ok := inv.Models["loras"]; !ok || l.FolderMissing || len(l.Names) != 0 {
		t.Errorf("loras (200 []): %+v", l)
	}
	if v := inv.Models["vae"]; !v.FolderMissing {
		t.Errorf("vae (404 folder_not_found): %+v", v)
	}
	if te := inv.Models["text_encoders"]; len(te.Names) != 1 || te.Names[0] != "t5xxl.safetensors" {
		t.Errorf("text_encoders via clip: %+v", te)
	}
	if inv.ServerVersion != "0.3.64 (cloud c1)" || len(inv.Devices) != 1 || inv.Devices[0].VRAMTotal != 80 {
		t.Errorf("inventory %+v", inv)
	}
}

// TestPartnerKeyInExtraDataNeverLogged puts a recording proxy in front of the cloud
// simulator: the submit carries the partner key in extra_data.api_key_comfy_org and the
// API key in X-API-Key only, and neither reaches the provider's trace log.
func TestPartnerKeyInExtraDataNeverLogged(t *testing.T) {
	const partner = "pk-PARTNER-secret-91c3"
	sim := startCloudSim(t, comfysim.Options{})
	target, _ := url.Parse(sim.URL())
	var mu sync.Mutex
	var bodies [][]byte
	var headerKeys []string
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && r.URL.Path == "/api/prompt" {
			b, _ := io.ReadAll(r.Body)
			r.Body = io.NopCloser(bytes.NewReader(b))
			mu.Lock()
			bodies = append(bodies, b)
			headerKeys = append(headerKeys, r.Header.Get("X-API-Key"))
			mu.Unlock()
		}
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	p, logs := serve(t, front.URL, map[string]any{"partner_key": partner})
	ctx := testCtx(t)
	sub, d := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: []byte(txt2img)})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if d := p.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID}, func(plugins.Event) {}); d.HasErrors() {
		t.Fatal(d)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 1 {
		t.Fatalf("%d submits seen", len(bodies))
	}
	var body struct {
		ExtraData map[string]any `json:"extra_data"`
	}
	if err := json.Unmarshal(bodies[0], &body); err != nil {
		t.Fatal(err)
	}
	if body.ExtraData["api_key_comfy_org"] != partner || headerKeys[0] != testKey {
		t.Errorf("extra_data %v, X-API-Key %q", body.ExtraData, headerKeys[0])
	}
	if bytes.Contains(bodies[0], []byte(testKey)) {
		t.Error("the API key travelled in the body; only the partner key belongs there")
	}
	assertNoSecret(t, "provider log", logs.String(), partner, testKey)
	if !strings.Contains(logs.String(), sub.PromptID) {
		t.Log("note: the trace log does not mention the prompt id")
	}
}
