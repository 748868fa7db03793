package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// smokeGraph is the health smoke test: a 64x64 image, blurred (a few milliseconds of
// work that gives the cancel time to land), inverted and previewed. Core nodes only.
func smokeGraph(withBlur bool) []byte {
	g := map[string]any{
		"1": smokeNode("EmptyImage", map[string]any{"width": 64, "height": 64, "batch_size": 1, "color": 0}),
		"3": smokeNode("ImageInvert", map[string]any{"image": []any{"1", 0}}),
		"4": smokeNode("PreviewImage", map[string]any{"images": []any{"3", 0}}),
	}
	if withBlur {
		g["2"] = smokeNode("ImageBlur", map[string]any{"image": []any{"1", 0}, "blur_radius": 1, "sigma": 1.0})
		g["3"] = smokeNode("ImageInvert", map[string]any{"image": []any{"2", 0}})
	}
	data, _ := json.Marshal(g)
	return data
}

func smokeNode(class string, inputs map[string]any) map[string]any {
	return map[string]any{"class_type": class, "inputs": inputs, "_meta": map[string]any{"title": "comfyhcl health smoke"}}
}

// smokeTimeout bounds the whole smoke test; a server that takes longer is not healthy.
const smokeTimeout = 2 * time.Minute

// smokeCheck submits the graph, watches until it starts, cancels it at once, and
// reports the round trips. A graph that finishes before the cancel lands is fine too:
// it is too small to matter.
func smokeCheck(ctx context.Context, conn *serverConn, classes map[string]json.RawMessage) (string, string, string, string) {
	ctx, cancel := context.WithTimeout(ctx, smokeTimeout)
	defer cancel()
	_, blur := classes["ImageBlur"]
	t0 := time.Now()
	sub, diags := conn.Submit(ctx, plugins.SubmitRequest{GraphJSON: smokeGraph(blur), Instance: "health.smoke"})
	if diags.HasErrors() {
		return "smoke", healthFail, "the server rejected the smoke graph: " + healthDiagsText(diags), "check the server's log; the graph uses core nodes only"
	}
	submitRTT := time.Since(t0)
	var once sync.Once
	var startedAfter time.Duration
	var cancelDiags plugins.Diagnostics
	cancelJob := func() {
		once.Do(func() {
			startedAfter = time.Since(t0)
			cancelDiags = conn.Cancel(ctx, sub.PromptID)
		})
	}
	// The socket may connect after execution_start went out (a loaded machine), so the
	// queue is polled too: whichever first shows the job running cancels it.
	watchDone := make(chan struct{})
	var poller sync.WaitGroup
	poller.Add(1)
	go func() {
		defer poller.Done()
		smokePollUntilRunning(ctx, conn, sub.PromptID, watchDone, cancelJob)
	}()
	var last plugins.Event
	diags = conn.Watch(ctx, plugins.WatchRequest{PromptID: sub.PromptID}, func(ev plugins.Event) {
		switch ev.Kind {
		case plugins.EventStarted, plugins.EventExecuting, plugins.EventProgress, plugins.EventCached, plugins.EventExecuted:
			cancelJob()
		}
		if ev.Kind.Terminal() {
			last = ev
		}
	})
	close(watchDone)
	poller.Wait()
	total := time.Since(t0)
	switch {
	case diags.HasErrors():
		return "smoke", healthFail, "lost track of the smoke job: " + healthDiagsText(diags), "check the server's log and its WebSocket (/ws)"
	case cancelDiags.HasErrors():
		return "smoke", healthFail, "cannot cancel a running job: " + healthDiagsText(cancelDiags), "check that the server allows POST /interrupt"
	}
	rtt := fmt.Sprintf("submit round trip %s", smokeMS(submitRTT))
	switch last.Kind {
	case plugins.EventInterrupted:
		return "smoke", healthOK, fmt.Sprintf("started %s after submit and was cancelled (%s, %s in all)", smokeMS(startedAfter), rtt, smokeMS(total)), ""
	case plugins.EventSucceeded:
		return "smoke", healthOK, fmt.Sprintf("finished before the cancel landed (%s, %s in all; nothing heavy ran)", rtt, smokeMS(total)), ""
	case plugins.EventFailed:
		msg := "the job failed"
		if e := last.Error; e != nil {
			msg = fmt.Sprintf("node %s (%s) raised %s: %s", e.NodeID, e.NodeType, e.ExceptionType, e.ExceptionMessage)
		}
		return "smoke", healthFail, msg, "read the traceback with `comfyhcl logs " + sub.PromptID + "`"
	}
	return "smoke", healthFail, "the smoke job never finished", "check the server's log"
}

// smokePoll is how often the smoke test looks at the queue for its job.
const smokePoll = 100 * time.Millisecond

// smokePollUntilRunning calls start once promptID is among the running jobs; it gives up when
// done closes, ctx ends, or the queue cannot be read.
func smokePollUntilRunning(ctx context.Context, conn *serverConn, promptID string, done <-chan struct{}, start func()) {
	tick := time.NewTicker(smokePoll)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		q, diags := conn.Queue(ctx, plugins.QueueRequest{Op: plugins.QueueList})
		if diags.HasErrors() {
			return
		}
		for _, it := range q.Running {
			if it.PromptID == promptID {
				start()
				return
			}
		}
	}
}

func smokeMS(d time.Duration) string {
	return fmt.Sprintf("%.0f ms", float64(d)/float64(time.Millisecond))
}

func healthDiagsText(diags plugins.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != plugins.SeverityError {
			continue
		}
		s := d.Summary
		if d.Detail != "" {
			s += ": " + d.Detail
		}
		parts = append(parts, s)
	}
	return healthOneLine(strings.Join(parts, "; "))
}

func healthHCLText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		s := d.Summary
		if d.Detail != "" {
			s += ": " + d.Detail
		}
		parts = append(parts, s)
	}
	return healthOneLine(strings.Join(parts, "; "))
}

// healthOneLine folds a multi-line message into sentences on one line.
func healthOneLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i, l := range lines[:len(lines)-1] {
		l = strings.TrimSpace(l)
		if l != "" && !strings.ContainsAny(l[len(l)-1:], ".:;!?") {
			l += "."
		}
		lines[i] = l
	}
	return strings.Join(lines, " ")
}
