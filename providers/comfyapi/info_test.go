package comfyapi

import (
	"errors"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
)

func serveFixture(t *testing.T, f *fakeComfy, path, fixture string) {
	body := readFixture(t, fixture)
	f.routes[path] = func(w http.ResponseWriter, r *http.Request) { w.Write(body) }
}

func TestModelsDistinguishesEmptyFromUnknown(t *testing.T) {
	f := newFakeComfy(t, "", "")
	serveFixture(t, f, "/models/checkpoints", "models_checkpoints.json")
	serveFixture(t, f, "/models/loras", "models_checkpoints_with_dummy_files.json")
	c := f.client(t)
	names, err := c.Models(testCtx(t), "checkpoints")
	if err != nil || names == nil || len(names) != 0 {
		t.Fatalf("empty folder: %v, %v", names, err)
	}
	names, err = c.Models(testCtx(t), "loras")
	if err != nil || len(names) != 2 || names[1] != "subdir/another.ckpt" {
		t.Fatalf("listed folder: %v, %v", names, err)
	}
	_, err = c.Models(testCtx(t), "no_such_folder")
	var he *HTTPError
	if !errors.Is(err, ErrFolderNotFound) || !errors.As(err, &he) || he.Status != 404 {
		t.Fatalf("unknown folder: %v", err)
	}
	if !strings.Contains(he.Fix(), "folder") {
		t.Errorf("fix %q", he.Fix())
	}
}

func TestParseModelListNormalisesCloudObjects(t *testing.T) {
	names, err := parseModelList([]byte(`["a.safetensors", {"name": "b.safetensors", "pathIndex": 0}]`))
	if err != nil || len(names) != 2 || names[1] != "b.safetensors" {
		t.Fatalf("%v, %v", names, err)
	}
	if _, err := parseModelList([]byte(`{"x": 1}`)); err == nil {
		t.Fatal("accepted an object")
	}
}

func TestSystemStatsAndObjectInfo(t *testing.T) {
	f := newFakeComfy(t, "", "")
	serveFixture(t, f, "/system_stats", "system_stats.json")
	serveFixture(t, f, "/object_info", "object_info_KSampler.json")
	c := f.client(t)
	s, err := c.SystemStats(testCtx(t))
	if err != nil || s.System.ComfyUIVersion != "0.3.64" || len(s.Devices) != 1 || s.Devices[0].Type != "cpu" {
		t.Fatalf("%+v, %v", s, err)
	}
	oi, err := c.ObjectInfo(testCtx(t))
	if err != nil || !strings.Contains(string(oi), `"KSampler"`) {
		t.Fatalf("object_info: %v", err)
	}
}

func TestGETRetries5xx(t *testing.T) {
	f := newFakeComfy(t, "", "")
	var calls atomic.Int32
	body := readFixture(t, "system_stats.json")
	f.routes["/system_stats"] = func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.Write(body)
	}
	if _, err := f.client(t).SystemStats(testCtx(t)); err != nil || calls.Load() != 3 {
		t.Fatalf("err %v after %d calls", err, calls.Load())
	}
}

func TestHTTPErrorsAreActionable(t *testing.T) {
	seen := map[string]int{}
	for _, status := range []int{401, 402, 403, 429, 500} {
		f := newFakeComfy(t, "", "")
		f.routes["/object_info"] = func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			w.Write([]byte(`{"code": "x", "message": "from server"}`))
		}
		_, err := f.client(t, func(c *Config) { c.Retries = 1 }).ObjectInfo(testCtx(t))
		var he *HTTPError
		if !errors.As(err, &he) || he.Status != status || he.Route != "/object_info" || he.Message != "from server" {
			t.Fatalf("%d: %v", status, err)
		}
		if prev, dup := seen[he.Fix()]; dup {
			t.Errorf("%d and %d share the fix %q", prev, status, he.Fix())
		}
		seen[he.Fix()] = status
	}
}

func TestConnectionErrorNamesURL(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	url := "http://" + l.Addr().String()
	l.Close()
	c := newTestClient(t, url)
	c.cfg.Retries = 2
	_, err = c.SystemStats(testCtx(t))
	var ce *ConnError
	if !errors.As(err, &ce) || !strings.Contains(err.Error(), url) {
		t.Fatalf("err %v does not name %s", err, url)
	}
}

func TestSmallerRoutes(t *testing.T) {
	f := newFakeComfy(t, "", "")
	serveFixture(t, f, "/embeddings", "embeddings_with_dummy_file.json")
	serveFixture(t, f, "/models", "models.json")
	serveFixture(t, f, "/object_info/KSampler", "object_info_KSampler.json")
	f.routes["/object_info/Nope"] = func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }
	var free atomic.Value
	f.routes["/free"] = func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 256)
		n, _ := r.Body.Read(b)
		free.Store(string(b[:n]))
	}
	c := f.client(t)
	ctx := testCtx(t)
	if names, err := c.Embeddings(ctx); err != nil || len(names) == 0 {
		t.Errorf("embeddings %v, %v", names, err)
	}
	if folders, err := c.Folders(ctx); err != nil || !slices.Contains(folders, "checkpoints") {
		t.Errorf("folders %v, %v", folders, err)
	}
	if info, err := c.NodeInfo(ctx, "KSampler"); err != nil || info == nil {
		t.Errorf("KSampler: %v", err)
	}
	if info, err := c.NodeInfo(ctx, "Nope"); err != nil || info != nil {
		t.Errorf("unknown class: %s, %v", info, err)
	}
	if err := c.Free(ctx, true, false); err != nil || free.Load() != `{"free_memory":false,"unload_models":true}` {
		t.Errorf("free %v, body %v", err, free.Load())
	}
}
