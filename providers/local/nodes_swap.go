package local

import (
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// Work directories in custom_nodes end in ".disabled", which ComfyUI's loader skips, so
// one left behind by a crash is never imported as a pack.
func stagingDir(root, name string) string {
	return filepath.Join(root, ".comfyhcl-staging-"+name+".disabled")
}

// swapIntoPlace moves a fully prepared staging directory to dir, replacing what was
// there only after the new copy is complete. A previous copy comfyhcl installed (it has
// the marker) is deleted; one it did not install is kept beside it as
// "<name>.comfyhcl-backup-<time>.disabled", whose name is returned.
func swapIntoPlace(staging, dir string) (backup string, err error) {
	root, name := filepath.Dir(dir), filepath.Base(dir)
	old := filepath.Join(root, ".comfyhcl-old-"+name+".disabled")
	os.RemoveAll(old)
	_, ours := readMarker(dir)
	_, statErr := os.Lstat(dir)
	if statErr == nil {
		if !ours {
			backup = fmt.Sprintf("%s.comfyhcl-backup-%s.disabled", name, time.Now().UTC().Format("20060102T150405"))
			old = filepath.Join(root, backup)
		}
		if err := os.Rename(dir, old); err != nil {
			return "", err
		}
	}
	if err := os.Rename(staging, dir); err != nil {
		if statErr == nil {
			os.Rename(old, dir)
		}
		return "", err
	}
	if backup == "" {
		return "", os.RemoveAll(old)
	}
	return backup, nil
}
