package local

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func TestApplyModelDownload(t *testing.T) {
	const size = 1<<20 + 17
	cases := []struct {
		name      string
		cuts      int
		fails     int
		noRange   bool
		partial   int // bytes of a .part left by an earlier apply
		badPart   bool
		wantRange bool // some request resumed with Range
	}{
		{name: "plain"},
		{name: "cut twice resumes", cuts: 2, wantRange: true},
		{name: "503 then ok", fails: 2},
		{name: "no range support restarts", cuts: 1, noRange: true, wantRange: true},
		{name: "resumes an earlier part", partial: 512 << 10, wantRange: true},
		{name: "corrupt earlier part is caught", partial: 512 << 10, badPart: true, wantRange: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h, srv := newModelHost(t, size)
			h.cuts, h.fails, h.noRange = tc.cuts, tc.fails, tc.noRange
			ws := t.TempDir()
			dest := filepath.Join(ws, "models", "checkpoints", "sd", "m.safetensors")
			if tc.partial > 0 {
				part := append([]byte(nil), h.content[:tc.partial]...)
				if tc.badPart {
					part[10] ^= 0xff
				}
				writeModel(t, ws, "models/checkpoints/sd/m.safetensors.part", part)
			}
			p := wsProvider(t, ws, "", "")
			spec := plugins.ModelSpec{Folder: "checkpoints", File: "sd/m.safetensors", Source: srv.URL + "/m", SHA256: sumHex(h.content), Size: size}
			var mu sync.Mutex
			var reports []plugins.InstallProgress
			res, diags := p.ApplyModel(context.Background(), spec, func(ip plugins.InstallProgress) {
				mu.Lock()
				reports = append(reports, ip)
				mu.Unlock()
			})
			_, ranges, _ := h.stats()
			if tc.badPart {
				// A corrupt prefix cannot be detected until the end: the model fails alone
				// with both hashes, and nothing is left behind for the next attempt.
				if !diags.HasErrors() || !strings.Contains(diags.Err().Error(), sumHex(h.content)) {
					t.Fatalf("diags = %v, want a mismatch naming the declared hash", diags)
				}
				assertAbsent(t, dest, dest+".part")
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags.Err())
			}
			got, err := os.ReadFile(dest)
			if err != nil || !bytes.Equal(got, h.content) {
				t.Fatalf("file differs from the source (err %v)", err)
			}
			assertAbsent(t, dest+".part")
			if !res.Done || res.SHA256 != spec.SHA256 || res.Size != size {
				t.Fatalf("result = %+v", res)
			}
			resumed := false
			for _, r := range ranges {
				resumed = resumed || r != ""
			}
			if resumed != tc.wantRange {
				t.Fatalf("ranges sent = %q, want resume %v", ranges, tc.wantRange)
			}
			mu.Lock()
			defer mu.Unlock()
			if len(reports) == 0 || reports[len(reports)-1].BytesDone != size || reports[len(reports)-1].BytesTotal != size {
				t.Fatalf("progress reports = %+v, want a final one at %d", reports, size)
			}
			// The next plan adopts the file from the hash cache, and a second apply does
			// not download again.
			if plan, _ := p.PlanModel(context.Background(), spec); plan.Status != plugins.ModelPresent {
				t.Fatalf("plan after apply = %+v", plan)
			}
			before, _, _ := h.stats()
			if res, diags := p.ApplyModel(context.Background(), spec, nil); diags.HasErrors() || !res.Done || res.SHA256 != spec.SHA256 {
				t.Fatalf("second apply = %+v %v", res, diags)
			}
			if after, _, _ := h.stats(); after != before {
				t.Fatalf("second apply made %d requests", after-before)
			}
		})
	}
}

func TestApplyModelFailures(t *testing.T) {
	h, srv := newModelHost(t, 1000)
	cases := []struct {
		name, source, sha string
		fails             int
		size              int64
		want              []string
	}{
		{name: "hash mismatch", source: srv.URL + "/m", sha: sumHex([]byte("other")),
			want: []string{sumHex([]byte("other")), sumHex(h.content), "partial file was deleted"}},
		{name: "gives up on 503", source: srv.URL + "/m", fails: 100, want: []string{"HTTP 503", "gave up after"}},
		{name: "not http", source: "ftp://host/x", want: []string{"not an http(s) URL"}},
		{name: "size differs", source: srv.URL + "/m", size: 999, want: []string{"serves 1000 bytes", "declares size 999"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h.mu.Lock()
			h.fails = tc.fails
			h.mu.Unlock()
			ws := t.TempDir()
			p := wsProvider(t, ws, "", "")
			spec := plugins.ModelSpec{Folder: "vae", File: "v.pt", Source: tc.source, SHA256: tc.sha, Size: tc.size,
				Headers: map[string]string{"Authorization": "Bearer hunter2"}}
			_, diags := p.ApplyModel(context.Background(), spec, nil)
			if !diags.HasErrors() {
				t.Fatal("apply succeeded")
			}
			msg := diags.Err().Error()
			for _, w := range tc.want {
				if !strings.Contains(msg, w) {
					t.Errorf("diagnostic %q lacks %q", msg, w)
				}
			}
			if strings.Contains(msg, "hunter2") {
				t.Fatalf("secret header leaked into %q", msg)
			}
			assertAbsent(t, filepath.Join(ws, "models/vae/v.pt"))
		})
	}
}

func assertAbsent(t *testing.T, paths ...string) {
	t.Helper()
	for _, p := range paths {
		if _, err := os.Lstat(p); err == nil {
			t.Errorf("%s exists", p)
		}
	}
}
