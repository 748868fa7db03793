package main

import (
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

// waitHistory polls /history/{id} until the server has recorded the prompt.
func waitHistory(t *testing.T, srv *comfysim.Server, id string) {
	t.Helper()
	waitQueue(t, srv, func(r, p []string) bool {
		resp, err := http.Get(srv.URL() + "/history/" + id)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var body [4]byte
		n, _ := resp.Body.Read(body[:])
		return n > 2
	})
}

var (
	timestampRE = regexp.MustCompile(`"timestamp":\s*\d+`)
	logTimeRE   = regexp.MustCompile(`\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+`)
	execTimeRE  = regexp.MustCompile(`executed in [0-9.]+ seconds`)
)

// normalizeOps makes transcripts stable: the simulator's URL, event and log timestamps.
func normalizeOps(s string, srv *comfysim.Server) string {
	s = strings.ReplaceAll(s, srv.URL(), "http://SIM")
	s = logTimeRE.ReplaceAllString(s, "<time>")
	s = execTimeRE.ReplaceAllString(s, "executed in N seconds")
	return timestampRE.ReplaceAllString(s, `"timestamp":0`)
}

func TestLogsOfFailedAndSucceededPrompts(t *testing.T) {
	srv := startSim(t, comfysim.Faults{FailClass: "VAEDecode", FailType: "RuntimeError", FailMessage: "simulated decoder failure"})
	dir := t.TempDir()
	url := "-url=" + srv.URL()
	submitRaw(t, srv, qid1, simGraph(3))
	waitHistory(t, srv, qid1)

	var transcript strings.Builder
	step := func(args ...string) {
		res := run(t, dir, nil, append([]string{"logs"}, append(args, url)...)...)
		fmt.Fprintf(&transcript, "$ comfyhcl logs %s\n[exit %d]\n%s%s\n", strings.Join(args, " "), res.code, res.stdout, res.stderr)
	}
	step(qid1)
	step(qid1, "-json", "-lines", "0")
	step(qid2)
	step()
	opsGolden(t, "logs/transcript.golden", normalizeOps(transcript.String(), srv))
}
