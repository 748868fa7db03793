package comfyapi

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// PathError is a server-supplied file name this client refuses to write:
// the server is not trusted to choose where files land.
type PathError struct {
	Subfolder, Filename string
	Reason              string
}

func (e *PathError) Error() string {
	return fmt.Sprintf("refusing output path subfolder=%q filename=%q: %s", e.Subfolder, e.Filename, e.Reason)
}

// safeRelPath validates the server's subfolder and filename and returns
// the slash-separated path to write under the destination root. Windows
// servers use backslashes, which are treated as separators.
func safeRelPath(subfolder, filename string, flat bool) (string, error) {
	bad := func(reason string) error { return &PathError{subfolder, filename, reason} }
	if err := checkComponent(filename); err != nil {
		return "", bad("file name " + err.Error())
	}
	if flat {
		return filename, nil
	}
	sub := strings.ReplaceAll(subfolder, `\`, "/")
	if strings.HasPrefix(sub, "/") || hasDrive(sub) {
		return "", bad("subfolder is absolute")
	}
	var parts []string
	for _, p := range strings.Split(sub, "/") {
		if p == "" || p == "." {
			continue
		}
		if err := checkComponent(p); err != nil {
			return "", bad("subfolder " + err.Error())
		}
		parts = append(parts, p)
	}
	return strings.Join(append(parts, filename), "/"), nil
}

func checkComponent(s string) error {
	switch {
	case s == "":
		return errors.New("is empty")
	case s == "." || s == "..":
		return errors.New("is a relative reference")
	case strings.ContainsAny(s, `/\`):
		return errors.New("contains a path separator")
	case hasDrive(s):
		return errors.New("has a drive letter")
	}
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return errors.New("contains a control character")
		}
	}
	return nil
}

func hasDrive(s string) bool {
	return len(s) >= 2 && s[1] == ':' && (s[0]|0x20 >= 'a' && s[0]|0x20 <= 'z')
}

// prepareDir creates root/dirs one level at a time. A symlink on the way is
// followed only if it resolves inside root; MkdirAll would have followed it
// anywhere and created directories outside before any check could run.
func prepareDir(root string, dirs []string) (string, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return "", err
	}
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", err
	}
	dir := realRoot
	for _, name := range dirs {
		next := filepath.Join(dir, name)
		fi, err := os.Lstat(next)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := os.Mkdir(next, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
				return "", err
			}
			if fi, err = os.Lstat(next); err != nil {
				return "", err
			}
			if !fi.IsDir() {
				return "", fmt.Errorf("%s is not a directory", next)
			}
		case err != nil:
			return "", err
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := filepath.EvalSymlinks(next)
			if err != nil {
				return "", err
			}
			if !within(realRoot, target) {
				return "", &PathError{Subfolder: strings.Join(dirs, "/"), Reason: fmt.Sprintf("%s is a symlink leaving %s", next, root)}
			}
			next = target
		case !fi.IsDir():
			return "", fmt.Errorf("%s is not a directory", next)
		}
		dir = next
	}
	return dir, nil
}

func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// claimName picks the file name to write in dir. An existing file is
// replaced only when the caller owns it; otherwise the first free
// "stem_N.ext" is used. A free name is reserved with an exclusive create so
// two concurrent downloads cannot pick the same one.
func claimName(dir, name string, owned bool) (final string, reserved bool, err error) {
	ext := filepath.Ext(name)
	stem := strings.TrimSuffix(name, ext)
	for n := 0; n < 10000; n++ {
		candidate := name
		if n > 0 {
			candidate = fmt.Sprintf("%s_%d%s", stem, n, ext)
		}
		p := filepath.Join(dir, candidate)
		f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			f.Close()
			return candidate, true, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return "", false, err
		}
		if n == 0 && owned {
			if fi, err := os.Lstat(p); err == nil && !fi.IsDir() {
				return candidate, false, nil
			}
		}
	}
	return "", false, fmt.Errorf("no free name for %s in %s", name, dir)
}
