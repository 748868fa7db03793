package comfysim

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The model file host: GET /files/<size>/<name...> serves `size`
// deterministic bytes derived from (name, size), with Range, HEAD, ETag and
// the download faults. ModelFileSHA256 gives the hash a client must find;
// ?corrupt=1 serves the same bytes with one byte flipped (hash mismatch).

const maxModelFile = 1 << 40

// ModelFileURL is the URL of a deterministic model file of the given size
// on this simulator's model host.
func (s *Server) ModelFileURL(name string, size int64) string {
	return s.url + ModelFilePath(name, size)
}

// ModelFilePath is the host-relative path of a model file.
func ModelFilePath(name string, size int64) string {
	return "/files/" + strconv.FormatInt(size, 10) + "/" + (&url.URL{Path: strings.TrimPrefix(name, "/")}).EscapedPath()
}

var shaCache sync.Map // "size/name" -> hex

// ModelFileSHA256 is the hex sha256 of the file ModelFileURL(name, size) serves.
func ModelFileSHA256(name string, size int64) string {
	key := strconv.FormatInt(size, 10) + "/" + name
	if v, ok := shaCache.Load(key); ok {
		return v.(string)
	}
	h := sha256.New()
	_, _ = io.Copy(h, io.NewSectionReader(newModelContent(name, size, false), 0, size))
	sum := hex.EncodeToString(h.Sum(nil))
	shaCache.Store(key, sum)
	return sum
}

// ModelFileBytes returns the whole content (for tests and small files).
func ModelFileBytes(name string, size int64) []byte {
	b := make([]byte, size)
	_, _ = newModelContent(name, size, false).ReadAt(b, 0)
	return b
}

// modelContent is a random-access, counter-mode byte stream (splitmix64).
type modelContent struct {
	seed    uint64
	size    int64
	corrupt bool
	off     int64
}

func newModelContent(name string, size int64, corrupt bool) *modelContent {
	return &modelContent{seed: hashString(name + "\x00" + strconv.FormatInt(size, 10)), size: size, corrupt: corrupt}
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func (m *modelContent) ReadAt(p []byte, off int64) (int, error) {
	if off >= m.size {
		return 0, io.EOF
	}
	n := len(p)
	if int64(n) > m.size-off {
		n = int(m.size - off)
	}
	var word [8]byte
	i := 0
	// unaligned head
	for i < n && (off+int64(i))%8 != 0 {
		pos := off + int64(i)
		binary.LittleEndian.PutUint64(word[:], splitmix(m.seed+uint64(pos/8)*0x9e3779b97f4a7c15))
		i += copy(p[i:n], word[pos%8:])
	}
	// aligned body: one word per 8 bytes, written in place
	blk := uint64((off + int64(i)) / 8)
	for ; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(p[i:], splitmix(m.seed+blk*0x9e3779b97f4a7c15))
		blk++
	}
	// tail
	if i < n {
		binary.LittleEndian.PutUint64(word[:], splitmix(m.seed+blk*0x9e3779b97f4a7c15))
		copy(p[i:n], word[:])
	}
	if m.corrupt && off <= m.size/2 && m.size/2 < off+int64(n) {
		p[m.size/2-off] ^= 0xff
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func (m *modelContent) Read(p []byte) (int, error) {
	n, err := m.ReadAt(p, m.off)
	m.off += int64(n)
	return n, err
}

func (m *modelContent) Seek(offset int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		offset += m.off
	case io.SeekEnd:
		offset += m.size
	}
	if offset < 0 {
		return 0, errors.New("negative offset")
	}
	m.off = offset
	return offset, nil
}

var modelEpoch = time.Date(2025, 10, 12, 0, 0, 0, 0, time.UTC)

func (s *Server) handleModelFile(w http.ResponseWriter, r *http.Request) {
	size, err := strconv.ParseInt(r.PathValue("size"), 10, 64)
	name := r.PathValue("name")
	if err != nil || size < 0 || size > maxModelFile || name == "" {
		http.Error(w, "bad model file path: want /files/<size>/<name>", http.StatusBadRequest)
		return
	}
	corrupt := r.URL.Query().Get("corrupt") == "1"
	w, ok := s.faultyDownload(w)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", path.Base(name)))
	if !corrupt {
		w.Header().Set("Etag", fmt.Sprintf("%q", ModelFileSHA256Lazy(name, size)))
	}
	http.ServeContent(w, r, path.Base(name), modelEpoch, newModelContent(name, size, corrupt))
}

// ModelFileSHA256Lazy avoids hashing huge files just for an ETag: it uses
// the cached hash when known, else a cheap stable tag.
func ModelFileSHA256Lazy(name string, size int64) string {
	if size <= 64<<20 {
		return ModelFileSHA256(name, size)
	}
	return fmt.Sprintf("sim-%x-%x", hashString(name), size)
}
