package comfyapi

import (
	"errors"
	"net/http"
	"strings"
	"time"
)

// redirectSafe returns a client whose redirect policy drops credentials as
// soon as a hop leaves the original scheme+host+port. Go's own policy keeps
// custom headers such as X-API-Key and compares domains, not ports, which
// is how the Python skill leaked Cloud keys to signed storage URLs.
func redirectSafe(base *http.Client, secret []string) *http.Client {
	var c http.Client
	if base != nil {
		c = *base
	} else {
		c.Transport = defaultTransport()
	}
	// A caller's own policy still runs, but only after the credentials
	// are gone: no client configuration can reopen the leak.
	callerPolicy := c.CheckRedirect
	c.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameOrigin(via[0], req) {
			for _, name := range secret {
				req.Header.Del(name)
			}
		}
		if callerPolicy != nil {
			return callerPolicy(req, via)
		}
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &c
}

func defaultTransport() http.RoundTripper {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	t.ResponseHeaderTimeout = 2 * time.Minute
	return t
}

// sameOrigin compares scheme, host and effective port.
func sameOrigin(a, b *http.Request) bool {
	return strings.EqualFold(a.URL.Scheme, b.URL.Scheme) &&
		strings.EqualFold(a.URL.Hostname(), b.URL.Hostname()) &&
		effectivePort(a) == effectivePort(b)
}

func effectivePort(r *http.Request) string {
	if p := r.URL.Port(); p != "" {
		return p
	}
	if strings.EqualFold(r.URL.Scheme, "https") {
		return "443"
	}
	return "80"
}
