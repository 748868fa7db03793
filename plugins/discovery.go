package plugins

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

// BinaryPrefix starts the file name of every third-party provider binary:
// comfyhcl-provider-<name>, with .exe on Windows.
const BinaryPrefix = "comfyhcl-provider-"

// BinaryName is the file name of the provider binary for a provider type.
func BinaryName(typ string) string {
	if runtime.GOOS == "windows" {
		return BinaryPrefix + typ + ".exe"
	}
	return BinaryPrefix + typ
}

// TypeFromSource returns the provider type a source address names: the part after the
// last slash ("acme/pool" -> "pool").
func TypeFromSource(source string) string {
	if i := strings.LastIndex(source, "/"); i >= 0 {
		return source[i+1:]
	}
	return source
}

// SearchDirs are the directories searched for provider binaries, in order: the
// project's ./.comfyhcl/plugins, then $XDG_DATA_HOME/comfyhcl/plugins (default
// ~/.local/share/comfyhcl/plugins). PATH comes after them (see Find).
func SearchDirs(projectDir string) []string {
	dirs := []string{filepath.Join(projectDir, ".comfyhcl", "plugins")}
	data := os.Getenv("XDG_DATA_HOME")
	if data == "" {
		if home, err := os.UserHomeDir(); err == nil {
			data = filepath.Join(home, ".local", "share")
		}
	}
	if data != "" {
		dirs = append(dirs, filepath.Join(data, "comfyhcl", "plugins"))
	}
	return dirs
}

// Find returns the first executable named BinaryName(typ) in dirs, then on PATH when
// usePATH is set. ok is false when there is none; looked lists where it searched, for
// the diagnostic.
func Find(typ string, dirs []string, usePATH bool) (path string, looked []string, ok bool) {
	name := BinaryName(typ)
	for _, d := range dirs {
		p := filepath.Join(d, name)
		looked = append(looked, d)
		if isExecutable(p) {
			return p, looked, true
		}
	}
	if usePATH {
		looked = append(looked, "$PATH")
		if p, err := exec.LookPath(name); err == nil {
			if abs, err := filepath.Abs(p); err == nil {
				p = abs
			}
			return p, looked, true
		}
	}
	return "", looked, false
}

// Installed is one provider binary found by ListInstalled.
type Installed struct {
	Type string
	Path string
}

// ListInstalled lists every provider binary in dirs and (when usePATH) on PATH, sorted
// by type; when a type is in several places, the one Find would pick wins.
func ListInstalled(dirs []string, usePATH bool) []Installed {
	all := append([]string(nil), dirs...)
	if usePATH {
		all = append(all, filepath.SplitList(os.Getenv("PATH"))...)
	}
	seen := map[string]bool{}
	var out []Installed
	for _, d := range all {
		entries, err := os.ReadDir(d)
		if err != nil {
			continue
		}
		for _, e := range entries {
			typ, ok := strings.CutPrefix(e.Name(), BinaryPrefix)
			typ = strings.TrimSuffix(typ, ".exe")
			p := filepath.Join(d, e.Name())
			if !ok || typ == "" || seen[typ] || !isExecutable(p) {
				continue
			}
			seen[typ] = true
			out = append(out, Installed{Type: typ, Path: p})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}

func isExecutable(p string) bool {
	fi, err := os.Stat(p)
	if err != nil || fi.IsDir() {
		return false
	}
	return runtime.GOOS == "windows" || fi.Mode()&0o111 != 0
}
