package local

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func configured(t *testing.T, url string) *Provider {
	t.Helper()
	p := New("test", nil)
	raw, _ := json.Marshal(map[string]any{"url": url})
	if _, d := p.Configure(context.Background(), plugins.ConfigureRequest{ConfigJSON: raw}); d.HasErrors() {
		t.Fatal(d)
	}
	t.Cleanup(func() { p.Stop(context.Background()) })
	return p
}

// TestUploadMaskSendsOriginalRef checks the multipart fields of /upload/mask and that
// the server's (renamed) name comes back.
func TestUploadMaskSendsOriginalRef(t *testing.T) {
	var gotRef, gotName, gotOverwrite string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/upload/mask" {
			http.NotFound(w, r)
			return
		}
		f, hdr, err := r.FormFile("image")
		if err != nil {
			w.WriteHeader(400)
			return
		}
		io.Copy(io.Discard, f)
		gotName, gotRef, gotOverwrite = hdr.Filename, r.FormValue("original_ref"), r.FormValue("overwrite")
		w.Write([]byte(`{"name": "mask (1).png", "subfolder": "", "type": "input"}`))
	}))
	defer srv.Close()
	p := configured(t, srv.URL)
	path := filepath.Join(t.TempDir(), "mask.png")
	os.WriteFile(path, []byte("\x89PNG\r\n\x1a\nfake"), 0o644)
	res, d := p.Upload(context.Background(), plugins.UploadRequest{Path: path, Mask: true, OriginalRef: "sub/photo.png"})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if res.Name != "mask (1).png" || res.Type != "input" || gotName != "mask.png" || gotOverwrite != "false" {
		t.Errorf("result %+v, sent name %q overwrite %q", res, gotName, gotOverwrite)
	}
	var ref map[string]string
	json.Unmarshal([]byte(gotRef), &ref)
	if !reflect.DeepEqual(ref, map[string]string{"filename": "photo.png", "subfolder": "sub", "type": "input"}) {
		t.Errorf("original_ref %s", gotRef)
	}
}

func TestUploadRefusesDirectory(t *testing.T) {
	p := configured(t, "http://127.0.0.1:1")
	_, d := p.Upload(context.Background(), plugins.UploadRequest{Path: t.TempDir()})
	if !d.HasErrors() || !strings.Contains(d[0].Summary, "directory") {
		t.Errorf("diags %v", d)
	}
}

const failedHistory = `{"p1": {"prompt": [], "outputs": {}, "status": {"status_str": "error", "completed": false, "messages": [
 ["execution_start", {"prompt_id": "p1", "timestamp": 1}],
 ["execution_error", {"prompt_id": "p1", "node_id": "3", "node_type": "KSampler", "exception_type": "RuntimeError",
  "exception_message": "boom happened\n", "traceback": ["File x", "RuntimeError: boom happened"], "current_inputs": {"steps": ["20"]}, "timestamp": 2}]]}}}`

func TestLogsFromHistoryAndServerLog(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/history/p1":
			w.Write([]byte(failedHistory))
		case "/internal/logs":
			w.Write([]byte(`"a\nb\nc\n!!! Exception during processing !!! boom happened\nd\ne\nf\ng\nh\n"`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p := configured(t, srv.URL)
	res, d := p.Logs(context.Background(), plugins.LogsRequest{PromptID: "p1", ServerLogLines: 4})
	if d.HasErrors() {
		t.Fatal(d)
	}
	if res.Status != "error" || len(res.StatusMessagesJSON) != 2 || res.Error == nil || res.Error.NodeID != "3" ||
		res.Error.CurrentInputsJSON != `{"steps":["20"]}` || len(res.Error.Traceback) != 2 {
		t.Fatalf("result %+v error %+v", res, res.Error)
	}
	want := []string{"b", "c", "!!! Exception during processing !!! boom happened", "d"}
	if !reflect.DeepEqual(res.ServerLog, want) {
		t.Errorf("server log window %q, want %q", res.ServerLog, want)
	}
}

func TestLogsUnknownPromptAndMissingLogRoute(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/history/p2", "/history/p3":
			w.Write([]byte(`{}`))
		case "/queue":
			w.Write([]byte(`{"queue_running": [], "queue_pending": [[5, "p3", {}, {}, []]]}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	p := configured(t, srv.URL)
	_, d := p.Logs(context.Background(), plugins.LogsRequest{PromptID: "p2"})
	if !d.HasErrors() || !strings.Contains(d[0].Detail, "p2") {
		t.Errorf("unknown prompt: %v", d)
	}
	res, d := p.Logs(context.Background(), plugins.LogsRequest{PromptID: "p3", ServerLogLines: 10})
	if d.HasErrors() || res.Status != "pending" || len(d) != 1 || d[0].Severity != plugins.SeverityWarning {
		t.Errorf("pending prompt: %+v %v", res, d)
	}
}
