package comfysim

import (
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"
)

var errReset = errors.New("comfysim: connection reset by fault injection")

// faultyDownload applies the download faults (5xx, reset mid-body, slow
// body) to a file response. ok=false means it has already answered.
func (s *Server) faultyDownload(w http.ResponseWriter) (http.ResponseWriter, bool) {
	f := s.currentFaults()
	if s.chance(f.ViewErrorRate) {
		writeText500(w)
		return nil, false
	}
	if s.chance(f.ViewResetRate) {
		w = &resetWriter{ResponseWriter: w, left: f.ViewResetAfter}
	}
	if f.SlowBodyBPS > 0 {
		w = &slowWriter{ResponseWriter: w, bps: f.SlowBodyBPS}
	}
	return w, true
}

// resetWriter sends `left` body bytes (default half of Content-Length) and
// then resets the TCP connection (RST, no clean end of body).
type resetWriter struct {
	http.ResponseWriter
	left int64
	init bool
	dead bool
}

func (rw *resetWriter) Unwrap() http.ResponseWriter { return rw.ResponseWriter }

func (rw *resetWriter) Write(p []byte) (int, error) {
	if rw.dead {
		return 0, errReset
	}
	if !rw.init {
		rw.init = true
		if rw.left <= 0 {
			n, _ := strconv.ParseInt(rw.Header().Get("Content-Length"), 10, 64)
			rw.left = n / 2
		}
	}
	n := int64(len(p))
	if n > rw.left {
		n = rw.left
	}
	written, err := rw.ResponseWriter.Write(p[:n])
	rw.left -= int64(written)
	if err != nil {
		return written, err
	}
	if rw.left <= 0 {
		rw.reset()
		return written, errReset
	}
	return written, nil
}

func (rw *resetWriter) reset() {
	rw.dead = true
	rc := http.NewResponseController(rw.ResponseWriter)
	_ = rc.Flush()
	conn, buf, err := rc.Hijack()
	if err != nil {
		return
	}
	_ = buf.Flush()
	if tc, ok := conn.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = conn.Close()
}

// slowWriter caps throughput at bps bytes per second.
type slowWriter struct {
	http.ResponseWriter
	bps int64
}

func (sw *slowWriter) Unwrap() http.ResponseWriter { return sw.ResponseWriter }

func (sw *slowWriter) Write(p []byte) (int, error) {
	chunk := int(sw.bps / 20)
	if chunk < 1 {
		chunk = 1
	}
	total := 0
	for len(p) > 0 {
		n := min(chunk, len(p))
		w, err := sw.ResponseWriter.Write(p[:n])
		total += w
		if err != nil {
			return total, err
		}
		_ = http.NewResponseController(sw.ResponseWriter).Flush()
		p = p[n:]
		time.Sleep(time.Duration(int64(n) * int64(time.Second) / sw.bps))
	}
	return total, nil
}
