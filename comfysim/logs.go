package comfysim

import (
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The server log ring behind /internal/logs (app/logger.py: 300 entries)
// and the "logs" WebSocket messages for subscribed sockets.

const logRingSize = 300

type logEntry struct {
	T string `json:"t"`
	M string `json:"m"`
}

type logRing struct {
	mu      sync.Mutex
	entries []logEntry
	subs    map[string]bool
}

func (s *Server) logf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	if !strings.HasSuffix(msg, "\n") {
		msg += "\n"
	}
	e := logEntry{T: time.Now().Format("2006-01-02T15:04:05.000000"), M: msg}
	l := &s.logs
	l.mu.Lock()
	l.entries = append(l.entries, e)
	if len(l.entries) > logRingSize {
		l.entries = l.entries[len(l.entries)-logRingSize:]
	}
	subs := make([]string, 0, len(l.subs))
	for sid := range l.subs {
		subs = append(subs, sid)
	}
	l.mu.Unlock()
	s.log.Debug(strings.TrimSpace(msg))
	for _, sid := range subs {
		s.hub.send("logs", map[string]any{"entries": []logEntry{e}, "size": termSize()}, sid)
	}
}

func termSize() map[string]any { return map[string]any{"cols": 80, "rows": 24} }

func (s *Server) logEntries() []logEntry {
	s.logs.mu.Lock()
	defer s.logs.mu.Unlock()
	return append([]logEntry{}, s.logs.entries...)
}

// handleInternalLogs: a JSON string of "<time> - <text>" lines.
func (s *Server) handleInternalLogs(w http.ResponseWriter, r *http.Request) {
	var sb strings.Builder
	for _, e := range s.logEntries() {
		sb.WriteString(e.T + " - " + e.M)
	}
	writeJSON(w, 200, sb.String())
}

func (s *Server) handleInternalLogsRaw(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, 200, map[string]any{"entries": s.logEntries(), "size": termSize()})
}

func (s *Server) handleLogsSubscribe(w http.ResponseWriter, r *http.Request) {
	body, err := decodeBody(r)
	sid, _ := body["clientId"].(string)
	if err != nil || sid == "" {
		writeEmpty(w, 400)
		return
	}
	l := &s.logs
	l.mu.Lock()
	if l.subs == nil {
		l.subs = map[string]bool{}
	}
	if pyTruth(body["enabled"]) {
		l.subs[sid] = true
	} else {
		delete(l.subs, sid)
	}
	l.mu.Unlock()
	writeEmpty(w, 200)
}
