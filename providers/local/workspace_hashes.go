package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"sync"
)

// hashCacheFile sits in the workspace root. It maps a model's path (relative to the
// workspace) to the sha256 of its content, valid while size and mtime are unchanged, so
// repeated plans of multi-GB files do not hash them again.
const hashCacheFile = ".comfyhcl-hashes.json"

type hashEntry struct {
	Size    int64  `json:"size"`
	MtimeNS int64  `json:"mtime_ns"`
	SHA256  string `json:"sha256"`
}

type hashCacheDoc struct {
	Version int                  `json:"version"`
	Entries map[string]hashEntry `json:"entries"`
}

// hashCacheMu serialises read-modify-write of every workspace's cache file within this
// process (plans and applies of several models run in parallel).
var hashCacheMu sync.Mutex

func loadHashCache(ws string) hashCacheDoc {
	doc := hashCacheDoc{Version: 1, Entries: map[string]hashEntry{}}
	b, err := os.ReadFile(filepath.Join(ws, hashCacheFile))
	if err != nil {
		return doc
	}
	var read hashCacheDoc
	if json.Unmarshal(b, &read) != nil || read.Version != 1 || read.Entries == nil {
		return doc // a corrupt cache only costs a re-hash
	}
	return read
}

// cachedHash returns the cached sha256 of rel when size and mtime still match.
func cachedHash(ws, rel string, fi os.FileInfo) (string, bool) {
	hashCacheMu.Lock()
	defer hashCacheMu.Unlock()
	e, ok := loadHashCache(ws).Entries[rel]
	if !ok || e.Size != fi.Size() || e.MtimeNS != fi.ModTime().UnixNano() {
		return "", false
	}
	return e.SHA256, true
}

// rememberHash records rel's hash; failures to write the cache are ignored (it is an
// optimisation, never a source of truth).
func rememberHash(ws, rel string, fi os.FileInfo, sum string) {
	hashCacheMu.Lock()
	defer hashCacheMu.Unlock()
	doc := loadHashCache(ws)
	doc.Entries[rel] = hashEntry{Size: fi.Size(), MtimeNS: fi.ModTime().UnixNano(), SHA256: sum}
	for k := range doc.Entries { // forget files that are gone
		if _, err := os.Stat(keyPath(ws, k)); err != nil {
			delete(doc.Entries, k)
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return
	}
	tmp, err := os.CreateTemp(ws, hashCacheFile+".tmp*")
	if err != nil {
		return
	}
	_, werr := tmp.Write(append(b, '\n'))
	cerr := tmp.Close()
	if werr != nil || cerr != nil || os.Rename(tmp.Name(), filepath.Join(ws, hashCacheFile)) != nil {
		os.Remove(tmp.Name())
	}
}

// fileSHA256 hashes a file, honouring ctx between reads so a cancelled plan stops
// hashing a large model promptly.
func fileSHA256(ctx context.Context, path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.CopyBuffer(h, ctxReader{ctx, f}, make([]byte, 1<<20))
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// hashModel returns the sha256 of ws/rel, from the cache when it is still valid.
func hashModel(ctx context.Context, ws, rel string, fi os.FileInfo) (string, error) {
	if sum, ok := cachedHash(ws, rel, fi); ok {
		return sum, nil
	}
	sum, _, err := fileSHA256(ctx, keyPath(ws, rel))
	if err != nil {
		return "", err
	}
	rememberHash(ws, rel, fi, sum)
	return sum, nil
}

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
