package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/gorilla/websocket"
	"github.com/hashicorp/go-hclog"
)

// BenchmarkApplyOverhead compares `apply` of n zero-work renders (the subprocess
// provider, as users run it) with the least a Go client must do for the same renders:
// POST /prompt, wait on the WebSocket, GET /history, GET /view into a hashed file. The
// design's budget is a ratio of at most 1.5. COMFYHCL_BENCH_INSTANCES sets n.
func BenchmarkApplyOverhead(b *testing.B) {
	n := 1000
	if v, err := strconv.Atoi(os.Getenv("COMFYHCL_BENCH_INSTANCES")); err == nil && v > 0 {
		n = v
	}
	sim, err := comfysim.New(comfysim.Options{Faults: comfysim.Faults{StepDelay: time.Microsecond, HistoryLag: time.Microsecond}})
	if err != nil {
		b.Fatal(err)
	}
	if err := sim.Start("127.0.0.1:0"); err != nil {
		b.Fatal(err)
	}
	defer sim.Close()
	graph := minimalGraph(b)
	sub := &providerLauncher{exe: plainBinary(b), log: hclog.NewNullLogger(), loaded: true}
	var applyTime, loopTime time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		applyTime += benchApply(b, sub, sim.URL(), n)
		loopTime += minimalLoop(b, sim.URL(), graph, n)
	}
	b.ReportMetric(float64(applyTime.Milliseconds())/float64(b.N), "apply-ms")
	b.ReportMetric(float64(loopTime.Milliseconds())/float64(b.N), "loop-ms")
	b.ReportMetric(float64(applyTime)/float64(loopTime), "apply/loop")
	b.ReportMetric(float64(n), "instances")
}

// minimalGraph is the graph benchApply submits: the quickstart workflow with steps = 1.
func minimalGraph(b *testing.B) map[string]any {
	data, err := os.ReadFile(filepath.Join("..", "..", "examples", "quickstart", "workflows", "txt2img.json"))
	if err != nil {
		b.Fatal(err)
	}
	var g map[string]any
	json.Unmarshal(data, &g)
	g["3"].(map[string]any)["inputs"].(map[string]any)["steps"] = 1
	return g
}

// minimalLoop is the hand-written client: no state, no plan, no plugin boundary.
func minimalLoop(b *testing.B, base string, graph map[string]any, n int) time.Duration {
	dir := b.TempDir()
	start := time.Now()
	clientID := "bench-loop"
	ws, _, err := websocket.DefaultDialer.Dial(strings.Replace(base, "http", "ws", 1)+"/ws?clientId="+clientID, nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ws.Close()
	body, _ := json.Marshal(map[string]any{"prompt": graph, "client_id": clientID})
	for i := 0; i < n; i++ {
		resp, err := http.Post(base+"/prompt", "application/json", bytes.NewReader(body))
		if err != nil {
			b.Fatal(err)
		}
		var sub struct {
			PromptID string `json:"prompt_id"`
		}
		json.NewDecoder(resp.Body).Decode(&sub)
		resp.Body.Close()
		waitSuccess(b, ws, sub.PromptID)
		for _, f := range historyFiles(b, base, sub.PromptID) {
			download(b, base, f, filepath.Join(dir, fmt.Sprint(i)))
		}
	}
	return time.Since(start)
}

func waitSuccess(b *testing.B, ws *websocket.Conn, promptID string) {
	for {
		kind, data, err := ws.ReadMessage()
		if err != nil {
			b.Fatal(err)
		}
		if kind != websocket.TextMessage {
			continue
		}
		var msg struct {
			Type string `json:"type"`
			Data struct {
				PromptID string `json:"prompt_id"`
			} `json:"data"`
		}
		json.Unmarshal(data, &msg)
		if msg.Data.PromptID == promptID && (msg.Type == "execution_success" || msg.Type == "execution_error") {
			return
		}
	}
}

type fileRef struct{ Filename, Subfolder, Type string }

func historyFiles(b *testing.B, base, promptID string) []fileRef {
	for {
		resp, err := http.Get(base + "/history/" + promptID)
		if err != nil {
			b.Fatal(err)
		}
		var h map[string]struct {
			Outputs map[string]map[string][]fileRef `json:"outputs"`
		}
		json.NewDecoder(resp.Body).Decode(&h)
		resp.Body.Close()
		entry, ok := h[promptID]
		if !ok {
			time.Sleep(time.Millisecond) // history lags execution_success
			continue
		}
		var out []fileRef
		for _, node := range entry.Outputs {
			out = append(out, node["images"]...)
		}
		return out
	}
}

func download(b *testing.B, base string, f fileRef, dir string) {
	q := url.Values{"filename": {f.Filename}, "subfolder": {f.Subfolder}, "type": {f.Type}}
	resp, err := http.Get(base + "/view?" + q.Encode())
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	os.MkdirAll(dir, 0o755)
	out, err := os.Create(filepath.Join(dir, f.Filename))
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	if _, err := io.Copy(io.MultiWriter(out, sha256.New()), resp.Body); err != nil {
		b.Fatal(err)
	}
}
