package comfysim

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// startStorage binds the second listener that plays the signed-URL object
// store (GCS) of Comfy Cloud: 127.0.0.2 when the host has it, so a redirect
// really leaves the API's host.
func (s *Server) startStorage() error {
	addrs := []string{s.opts.StorageListen}
	if s.opts.StorageListen == "" {
		addrs = []string{"127.0.0.2:0", "127.0.0.1:0"}
	}
	var ln net.Listener
	var err error
	for _, a := range addrs {
		if ln, err = net.Listen("tcp", a); err == nil {
			break
		}
	}
	if err != nil {
		return fmt.Errorf("comfysim: storage listener: %w", err)
	}
	s.storageURL = "http://" + ln.Addr().String()
	mux := http.NewServeMux()
	mux.HandleFunc("GET /o/{token}", s.counted("GET storage /o/{token}", s.handleStorage))
	s.storageSrv = &http.Server{Handler: mux, ReadHeaderTimeout: 30 * time.Second}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		if err := s.storageSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			s.log.Error("storage serve", "error", err)
		}
	}()
	return nil
}

// handleCloudView: 302 to a signed storage URL; channel=rgb|a|alpha is
// answered directly with a PNG. subfolder only narrows the search.
func (s *Server) handleCloudView(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	name := filepath.Base(filepath.FromSlash(q.Get("filename")))
	typ := q.Get("type")
	if typ == "" {
		typ = "output"
	}
	dir := s.dirFor(typ)
	if name == "" || name == "." || dir == "" {
		cloudError(w, 404, "not_found", "File not found")
		return
	}
	path := ""
	if sub := q.Get("subfolder"); sub != "" {
		if p := filepath.Join(dir, filepath.FromSlash(sub), name); within(dir, p) && fileExists(p) {
			path = p
		}
	}
	if path == "" {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && d.Name() == name && path == "" {
				path = p
			}
			return nil
		})
	}
	if path == "" {
		cloudError(w, 404, "not_found", "File not found")
		return
	}
	if ch := q.Get("channel"); ch == "rgb" || ch == "a" || ch == "alpha" {
		if ch == "alpha" {
			ch = "a"
		}
		s.viewConverted(w, path, fmt.Sprintf("filename=%q", name), "", ch)
		return
	}
	var b [16]byte
	_, _ = rand.Read(b[:])
	token := hex.EncodeToString(b[:])
	s.signed.Store(token, path)
	loc := s.storageURL + "/o/" + token + "?" + url.Values{
		"X-Goog-Algorithm": {"GOOG4-RSA-SHA256"}, "X-Goog-Expires": {"3600"},
		"X-Goog-Signature": {token[:16]}, "response-content-disposition": {"attachment; filename=\"" + name + "\""},
	}.Encode()
	http.Redirect(w, r, loc, http.StatusFound)
}

// handleStorage serves a signed object; any credential is refused, as a
// signed GCS URL refuses a request that also carries an Authorization header.
func (s *Server) handleStorage(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("Authorization") != "" || r.Header.Get("X-API-Key") != "" || r.Header.Get("Cookie") != "" {
		w.Header().Set("Content-Type", "application/xml; charset=UTF-8")
		w.WriteHeader(http.StatusForbidden)
		_, _ = w.Write([]byte("<?xml version='1.0' encoding='UTF-8'?><Error><Code>AccessDenied</Code><Message>Access denied. A signed URL must not be combined with other credentials.</Message></Error>"))
		return
	}
	v, ok := s.signed.Load(r.PathValue("token"))
	if !ok {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	path := v.(string)
	f, err := os.Open(path)
	if err != nil {
		w.WriteHeader(http.StatusNotFound)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		writeText500(w)
		return
	}
	w, ok = s.faultyDownload(w)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", contentTypeFor(path))
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", filepath.Base(path)))
	http.ServeContent(w, r, filepath.Base(path), st.ModTime(), f)
}
