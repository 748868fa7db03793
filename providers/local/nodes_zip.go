package local

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Limits on an archive from the registry: a pack is source code and small assets.
const (
	maxZipEntries = 100_000
	maxZipBytes   = 4 << 30
)

// zipEntryPath validates an archive entry name and returns it as a relative OS path.
// The archive is untrusted: absolute names, drive letters, ".." and control characters
// are refused (zip-slip), so the result always stays inside the extraction root.
func zipEntryPath(name string) (string, error) {
	parts, err := cleanRelPath(name)
	if err != nil {
		return "", fmt.Errorf("archive entry %q %w", name, err)
	}
	for _, p := range parts {
		if strings.ContainsRune(p, ':') { // NTFS alternate streams and drive-relative names
			return "", fmt.Errorf("archive entry %q contains ':'", name)
		}
	}
	return filepath.Join(parts...), nil
}

// extractZip unpacks the archive at src into dest, which must not exist yet. Symlinks
// and special files are refused (a link could point anywhere, and later entries would
// be written through it). When every entry sits below one top-level directory (GitHub
// style archives) that directory is stripped, since ComfyUI imports the pack's
// __init__.py from custom_nodes/<id>/.
func extractZip(src, dest string) error {
	zr, err := zip.OpenReader(src)
	if err != nil {
		return fmt.Errorf("the downloaded pack is not a zip archive: %w", err)
	}
	defer zr.Close()
	if len(zr.File) > maxZipEntries {
		return fmt.Errorf("the archive has %d entries (limit %d); refusing it", len(zr.File), maxZipEntries)
	}
	rels := make([]string, len(zr.File))
	for i, f := range zr.File {
		if rels[i], err = zipEntryPath(f.Name); err != nil {
			return err
		}
		mode := f.Mode()
		if mode&fs.ModeSymlink != 0 {
			return fmt.Errorf("archive entry %q is a symlink; comfyhcl refuses links in node pack archives", f.Name)
		}
		if mode&(fs.ModeDevice|fs.ModeNamedPipe|fs.ModeSocket|fs.ModeCharDevice) != 0 {
			return fmt.Errorf("archive entry %q is a special file; refusing it", f.Name)
		}
	}
	strip := commonTopDir(zr.File, rels)
	if err := os.Mkdir(dest, 0o755); err != nil {
		return err
	}
	var total int64
	for i, f := range zr.File {
		rel := rels[i]
		if strip != "" {
			rel = strings.TrimPrefix(strings.TrimPrefix(rel, strip), string(filepath.Separator))
			if rel == "" {
				continue
			}
		}
		target := filepath.Join(dest, rel)
		if f.FileInfo().IsDir() {
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		n, err := extractFile(f, target, maxZipBytes-total)
		if err != nil {
			return err
		}
		total += n
	}
	return nil
}

func extractFile(f *zip.File, target string, budget int64) (int64, error) {
	rc, err := f.Open()
	if err != nil {
		return 0, fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	defer rc.Close()
	perm := os.FileMode(0o644)
	if f.Mode()&0o111 != 0 {
		perm = 0o755
	}
	// O_EXCL: a duplicate entry never overwrites (or writes through) what is there.
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return 0, fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	n, err := io.Copy(out, io.LimitReader(rc, budget+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err == nil && n > budget {
		err = errors.New("the archive expands beyond 4 GiB; refusing it")
	}
	if err != nil {
		return n, fmt.Errorf("archive entry %q: %w", f.Name, err)
	}
	return n, nil
}

// commonTopDir returns the single top-level directory every entry lives under, or "".
func commonTopDir(files []*zip.File, rels []string) string {
	top := ""
	for i, rel := range rels {
		first, _, nested := strings.Cut(rel, string(filepath.Separator))
		if !nested && !files[i].FileInfo().IsDir() {
			return "" // a file at the root
		}
		if top == "" {
			top = first
		} else if first != top {
			return ""
		}
	}
	return top
}
