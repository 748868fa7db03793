package comfyapi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"mime"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// DownloadOptions shape where and how an output lands.
type DownloadOptions struct {
	Flat bool // drop the server's subfolder
	// Owned reports that state says the relative path is ours, so an
	// existing file there may be replaced. Nil means nothing is owned.
	Owned func(rel string) bool
}

// DownloadedFile describes a file written under the destination root.
type DownloadedFile struct {
	RelPath   string // slash-separated, relative to the destination root
	Path      string
	Size      int64
	SHA256    string // lowercase hex
	MediaType string
}

// Download streams ref from /view into destRoot. Bytes go to
// "<final>.part" while sha256 is computed on the fly, and are renamed into
// place only when complete. A cut connection resumes with Range; failures
// retry with backoff. Unsafe server names are refused with *PathError.
func (c *Client) Download(ctx context.Context, ref FileRef, destRoot string, opt DownloadOptions) (*DownloadedFile, error) {
	p, err := placeOutput(destRoot, ref, opt)
	if err != nil {
		return nil, err
	}
	dir, name, reserved := p.dir, p.name, p.reserved
	final := filepath.Join(dir, name)
	f, err := createPart(final)
	if err != nil {
		if reserved {
			os.Remove(final)
		}
		return nil, err
	}
	part := f.Name()
	ok := false
	defer func() {
		if !ok {
			os.Remove(part)
			if reserved {
				os.Remove(final)
			}
		}
	}()
	defer f.Close()

	dl := &transfer{c: c, ref: ref, f: f, h: sha256.New()}
	if err := dl.run(ctx); err != nil {
		return nil, err
	}
	// No fsync: an output lost or truncated by a power cut is found by the next plan,
	// which checks every output's sha256 against the state and renders it again, and an
	// fsync per file costs more than a quick render. The rename still makes a file appear
	// whole or not at all to anyone reading the folder.
	if err := f.Close(); err != nil {
		return nil, err
	}
	if err := os.Rename(part, final); err != nil {
		return nil, err
	}
	ok = true
	relFinal := path.Join(p.relDir, name)
	return &DownloadedFile{
		RelPath:   relFinal,
		Path:      filepath.Join(destRoot, filepath.FromSlash(relFinal)),
		Size:      dl.written,
		SHA256:    hex.EncodeToString(dl.h.Sum(nil)),
		MediaType: mediaType(dl.contentType, name),
	}, nil
}

// createPart opens "<final>.part" exclusively. If that name is taken (a
// file that may not be ours, or a planted symlink) it is left alone and a
// unique "<final>.*.part" is used instead: nothing is ever deleted that
// this call did not create.
func createPart(final string) (*os.File, error) {
	f, err := os.OpenFile(final+".part", os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if err == nil || !errors.Is(err, fs.ErrExist) {
		return f, err
	}
	return os.CreateTemp(filepath.Dir(final), filepath.Base(final)+".*.part")
}

// placement is where one output will be written.
type placement struct {
	dir, name string // real directory and the claimed file name in it
	relDir    string // slash-separated, relative to the destination root
	reserved  bool   // name was created empty by us (remove it on failure)
}

// placeOutput validates the server's names, creates the directories
// (refusing symlinked escapes) and claims a file name that overwrites
// nothing the caller does not own.
func placeOutput(destRoot string, ref FileRef, opt DownloadOptions) (*placement, error) {
	rel, err := safeRelPath(ref.Subfolder, ref.Filename, opt.Flat)
	if err != nil {
		return nil, err
	}
	relDir, base := path.Split(rel)
	dir, err := prepareDir(destRoot, splitDirs(relDir))
	if err != nil {
		return nil, err
	}
	owned := opt.Owned != nil && opt.Owned(rel)
	name, reserved, err := claimName(dir, base, owned)
	if err != nil {
		return nil, err
	}
	return &placement{dir: dir, name: name, relDir: relDir, reserved: reserved}, nil
}

func splitDirs(relDir string) []string {
	relDir = strings.Trim(relDir, "/")
	if relDir == "" {
		return nil
	}
	return strings.Split(relDir, "/")
}

func mediaType(contentType, name string) string {
	if mt, _, err := mime.ParseMediaType(contentType); err == nil && mt != "application/octet-stream" {
		return mt
	}
	if mt := mime.TypeByExtension(filepath.Ext(name)); mt != "" {
		mt, _, _ = mime.ParseMediaType(mt)
		return mt
	}
	return "application/octet-stream"
}
