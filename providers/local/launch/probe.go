package launch

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// ServerURL is the URL to reach a server listening on listen:port: a wildcard or empty
// listen address is reached on loopback; of several (comma-separated) the first is used.
func ServerURL(listen string, port int) string {
	h, _, _ := strings.Cut(listen, ",")
	h = strings.Trim(strings.TrimSpace(h), "[]")
	switch h {
	case "", "0.0.0.0", "::":
		h = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(h, strconv.Itoa(port))
}

// probeClient talks straight to the server: a proxy from the environment has no business
// between comfyhcl and a ComfyUI on this machine or its LAN.
var probeClient = &http.Client{Transport: &http.Transport{Proxy: nil}}

// Answering reports whether a ComfyUI answers /system_stats at url.
func Answering(ctx context.Context, url string) bool {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(url, "/")+"/system_stats", nil)
	if err != nil {
		return false
	}
	resp, err := probeClient.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	var stats struct {
		System map[string]any `json:"system"`
	}
	return json.NewDecoder(resp.Body).Decode(&stats) == nil && stats.System != nil
}

// portTaken reports whether something already listens on the address the server would
// use (checked only when no ComfyUI answers there).
func portTaken(listen string, port int) error {
	h, _, _ := strings.Cut(listen, ",")
	h = strings.Trim(strings.TrimSpace(h), "[]")
	ln, err := net.Listen("tcp", net.JoinHostPort(h, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("port %d on %q is in use by something that is not ComfyUI (%v): stop it or pick another port with -port", port, h, err)
	}
	return ln.Close()
}
