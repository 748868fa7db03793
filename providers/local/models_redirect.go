package local

import (
	"errors"
	"net"
	"net/http"
	"time"
)

// newDownloadClient follows redirects (Hugging Face and Civitai answer with a 302 to a
// signed CDN URL) but never carries the model block's headers, or any credential, to
// another host: the CDN does not need them and must not see them.
func newDownloadClient(secret map[string]string) *http.Client {
	tr := &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout:   30 * time.Second,
		ResponseHeaderTimeout: 2 * time.Minute,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
	}
	return &http.Client{Transport: tr, CheckRedirect: func(req *http.Request, via []*http.Request) error {
		if len(via) >= 10 {
			return errors.New("stopped after 10 redirects")
		}
		if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
			for k := range secret {
				req.Header.Del(k)
			}
			for _, k := range []string{"Authorization", "Cookie", "Proxy-Authorization", "X-Api-Key"} {
				req.Header.Del(k)
			}
		}
		return nil
	}}
}
