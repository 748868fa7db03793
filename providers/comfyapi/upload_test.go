package comfyapi

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"
)

func TestUploadReportsRename(t *testing.T) {
	f := newFakeComfy(t, "", "")
	renamed := readFixture(t, "upload_image_response_duplicate_name.json")
	var mu sync.Mutex
	var fields []map[string]string
	f.routes["/upload/image"] = func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseMultipartForm(1 << 20); err != nil {
			w.WriteHeader(400)
			return
		}
		file, hdr, err := r.FormFile("image")
		if err != nil {
			w.WriteHeader(400)
			return
		}
		file.Close()
		mu.Lock()
		fields = append(fields, map[string]string{"filename": hdr.Filename, "overwrite": r.FormValue("overwrite"), "type": r.FormValue("type")})
		mu.Unlock()
		w.Write(renamed)
	}
	f.routes["/upload/mask"] = func(w http.ResponseWriter, r *http.Request) {
		var ref map[string]string
		if json.Unmarshal([]byte(r.FormValue("original_ref")), &ref) != nil || ref["filename"] != "capture_upload.png" || ref["type"] != "input" {
			w.WriteHeader(400)
			return
		}
		w.Write([]byte(`{"name": "mask.png", "subfolder": "clipspace", "type": "input"}`))
	}
	c := f.client(t)
	res, err := c.UploadImage(testCtx(t), "capture_upload.png", pngMagic, UploadOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Renamed || res.Name != "capture_upload (1).png" || res.Requested != "capture_upload.png" || res.Reference() != "capture_upload (1).png" {
		t.Fatalf("result %+v", res)
	}
	mu.Lock()
	if fields[0]["filename"] != "capture_upload.png" || fields[0]["overwrite"] != "false" || fields[0]["type"] != "input" {
		t.Errorf("fields %v", fields)
	}
	mu.Unlock()
	mask, err := c.UploadMask(testCtx(t), "mask.png", pngMagic, FileRef{Filename: "capture_upload.png"}, UploadOptions{})
	if err != nil || mask.Renamed || mask.Reference() != "clipspace/mask.png" {
		t.Fatalf("mask %+v, %v", mask, err)
	}
	if _, err := c.UploadImage(testCtx(t), "../x.png", pngMagic, UploadOptions{}); err == nil {
		t.Fatal("uploaded a traversal name")
	}
}

func TestQueueSortsPendingAndControlsWork(t *testing.T) {
	f := newFakeComfy(t, "", "")
	body := readFixture(t, "queue_running_and_pending.json")
	var posts []string
	var mu sync.Mutex
	f.routes["/queue"] = func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			var m map[string]any
			json.NewDecoder(r.Body).Decode(&m)
			b, _ := json.Marshal(m)
			mu.Lock()
			posts = append(posts, "queue "+string(b))
			mu.Unlock()
			return
		}
		w.Write(body)
	}
	f.routes["/interrupt"] = func(w http.ResponseWriter, r *http.Request) {
		var m map[string]any
		json.NewDecoder(r.Body).Decode(&m)
		b, _ := json.Marshal(m)
		mu.Lock()
		posts = append(posts, "interrupt "+string(b))
		mu.Unlock()
	}
	f.routes["/internal/logs"] = func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`"2025-10-12T10:00:00 - hello\n"`))
	}
	c := f.client(t)
	ctx := testCtx(t)
	q, err := c.Queue(ctx)
	if err != nil || len(q.Running) != 1 || len(q.Pending) < 2 {
		t.Fatalf("queue %+v, %v", q, err)
	}
	for i := 1; i < len(q.Pending); i++ {
		if q.Pending[i-1].Number > q.Pending[i].Number {
			t.Fatalf("pending not sorted: %+v", q.Pending)
		}
	}
	if err := c.Interrupt(ctx, "p1"); err != nil {
		t.Fatal(err)
	}
	if err := c.ClearQueue(ctx); err != nil {
		t.Fatal(err)
	}
	want := []string{`queue {"delete":["p1"]}`, `interrupt {"prompt_id":"p1"}`, `queue {"clear":true}`}
	mu.Lock()
	defer mu.Unlock()
	if len(posts) != 3 || posts[0] != want[0] || posts[1] != want[1] || posts[2] != want[2] {
		t.Fatalf("posts %q, want %q", posts, want)
	}
	if logs, err := c.Logs(ctx); err != nil || logs != "2025-10-12T10:00:00 - hello\n" {
		t.Fatalf("logs %q, %v", logs, err)
	}
}
