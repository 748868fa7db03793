package local

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() { fetchBackoff = time.Millisecond }

func writeModel(t *testing.T, ws, rel string, data []byte) string {
	t.Helper()
	p := filepath.Join(ws, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestPlanModelWorkspace(t *testing.T) {
	ws := t.TempDir()
	data := testBytes(1000)
	writeModel(t, ws, "models/checkpoints/sub/a.safetensors", data)
	os.MkdirAll(filepath.Join(ws, "models/loras/dir.safetensors"), 0o755)
	p := wsProvider(t, ws, "", "")
	good, other := sumHex(data), sumHex([]byte("x"))
	cases := []struct {
		name    string
		spec    plugins.ModelSpec
		status  plugins.ModelStatus
		install bool
		errLike string
		attr    string
	}{
		{"absent", plugins.ModelSpec{Folder: "checkpoints", File: "b.safetensors", Source: "http://x/b"}, plugins.ModelAbsent, true, "", ""},
		{"present", plugins.ModelSpec{Folder: "checkpoints", File: "sub/a.safetensors", SHA256: strings.ToUpper(good)}, plugins.ModelPresent, false, "", ""},
		{"present any hash", plugins.ModelSpec{Folder: "checkpoints", File: "sub/a.safetensors"}, plugins.ModelPresent, false, "", ""},
		{"mismatch", plugins.ModelSpec{Folder: "checkpoints", File: "sub/a.safetensors", SHA256: other, Source: "http://x/a"}, plugins.ModelMismatch, true, "", ""},
		{"absent without source", plugins.ModelSpec{Folder: "checkpoints", File: "c.safetensors"}, plugins.ModelAbsent, false, "Add `source`", "source"},
		{"traversal", plugins.ModelSpec{Folder: "checkpoints", File: "../../etc/passwd"}, 0, false, `contains ".."`, "file"},
		{"absolute", plugins.ModelSpec{Folder: "checkpoints", File: "/etc/passwd"}, 0, false, "is absolute", "file"},
		{"folder traversal", plugins.ModelSpec{Folder: "..", File: "a"}, 0, false, `contains ".."`, "folder"},
		{"backslash traversal", plugins.ModelSpec{Folder: "loras", File: `..\..\x`}, 0, false, `contains ".."`, "file"},
		{"directory", plugins.ModelSpec{Folder: "loras", File: "dir.safetensors"}, 0, false, "is a directory", "file"},
		{"bad sha", plugins.ModelSpec{Folder: "loras", File: "x", SHA256: "abc"}, 0, false, "64 hexadecimal", "sha256"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			plan, diags := p.PlanModel(context.Background(), tc.spec)
			if tc.errLike != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), tc.errLike) {
					t.Fatalf("diags = %v, want error containing %q", diags, tc.errLike)
				}
				if got := diags[0].AttributePath; len(got) != 1 || got[0] != tc.attr {
					t.Fatalf("attribute path = %v, want %s", got, tc.attr)
				}
			} else if diags.HasErrors() {
				t.Fatal(diags.Err())
			}
			if plan.Status != tc.status || plan.Installable != tc.install {
				t.Fatalf("plan = %+v, want status %v installable %v", plan, tc.status, tc.install)
			}
			if tc.status == plugins.ModelMismatch && plan.ActualSHA256 != good {
				t.Fatalf("ActualSHA256 = %s, want %s", plan.ActualSHA256, good)
			}
		})
	}
}

func TestPlanModelUsesHashCache(t *testing.T) {
	ws := t.TempDir()
	data := testBytes(4096)
	path := writeModel(t, ws, "models/vae/v.safetensors", data)
	p := wsProvider(t, ws, "", "")
	spec := plugins.ModelSpec{Folder: "vae", File: "v.safetensors", SHA256: sumHex(data)}
	if plan, diags := p.PlanModel(context.Background(), spec); diags.HasErrors() || plan.Status != plugins.ModelPresent {
		t.Fatalf("first plan: %+v %v", plan, diags)
	}
	// Plant a different hash for the same size and mtime: a plan that trusts the cache
	// (and does not re-read the file) now reports a mismatch.
	var doc hashCacheDoc
	b, err := os.ReadFile(filepath.Join(ws, hashCacheFile))
	if err != nil {
		t.Fatalf("no hash cache written: %v", err)
	}
	json.Unmarshal(b, &doc)
	e := doc.Entries["models/vae/v.safetensors"]
	if e.SHA256 != spec.SHA256 {
		t.Fatalf("cache entry = %+v", e)
	}
	e.SHA256 = sumHex([]byte("planted"))
	doc.Entries["models/vae/v.safetensors"] = e
	b, _ = json.Marshal(doc)
	os.WriteFile(filepath.Join(ws, hashCacheFile), b, 0o644)
	if plan, _ := p.PlanModel(context.Background(), spec); plan.Status != plugins.ModelMismatch {
		t.Fatalf("cached plan = %+v, want the planted hash to be used", plan)
	}
	// A new mtime invalidates the entry.
	later := time.Now().Add(time.Hour)
	os.Chtimes(path, later, later)
	if plan, _ := p.PlanModel(context.Background(), spec); plan.Status != plugins.ModelPresent {
		t.Fatalf("plan after touch = %+v, want a re-hash", plan)
	}
}

func TestApplyModelRedirectDropsHeaders(t *testing.T) {
	h, cdn := newModelHost(t, 5000)
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer s3cret" || r.Header.Get("X-Token") != "t0k" {
			http.Error(w, "no auth", http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, strings.Replace(cdn.URL, "127.0.0.1", "localhost", 1)+"/blob?sig=1", http.StatusFound)
	}))
	defer origin.Close()
	ws := t.TempDir()
	p := wsProvider(t, ws, "", "")
	spec := plugins.ModelSpec{Folder: "loras", File: "l.safetensors", Source: origin.URL + "/resolve",
		SHA256: sumHex(h.content), Headers: map[string]string{"Authorization": "Bearer s3cret", "X-Token": "t0k"}}
	if _, diags := p.ApplyModel(context.Background(), spec, nil); diags.HasErrors() {
		t.Fatal(diags.Err())
	}
	if _, _, auth := h.stats(); len(auth) != 1 || auth[0] != "" {
		t.Fatalf("CDN saw Authorization %q; headers must not cross hosts", auth)
	}
}

func TestPlanModelFindsLegacyFolder(t *testing.T) {
	ws := t.TempDir()
	data := testBytes(512)
	writeModel(t, ws, "models/unet/flux.safetensors", data)
	p := wsProvider(t, ws, "", "")
	spec := plugins.ModelSpec{Folder: "diffusion_models", File: "flux.safetensors", SHA256: sumHex(data), Source: "http://127.0.0.1:1/x"}
	if plan, diags := p.PlanModel(context.Background(), spec); diags.HasErrors() || plan.Status != plugins.ModelPresent {
		t.Fatalf("plan = %+v %v, want the copy in models/unet adopted", plan, diags)
	}
	if res, diags := p.ApplyModel(context.Background(), spec, nil); diags.HasErrors() || !res.Done {
		t.Fatalf("apply = %+v %v, want adoption without a download", res, diags)
	}
	assertAbsent(t, filepath.Join(ws, "models", "diffusion_models", "flux.safetensors"))
}
