package launch

import (
	"os"
	"path/filepath"
	"runtime"
)

// DefaultWorkspace is comfy-cli's default: ~/comfy/ComfyUI on Linux,
// ~/Documents/comfy/ComfyUI on macOS and Windows.
func DefaultWorkspace() string {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	if runtime.GOOS == "linux" {
		return filepath.Join(home, "comfy", "ComfyUI")
	}
	return filepath.Join(home, "Documents", "comfy", "ComfyUI")
}

// Installed reports whether dir holds a ComfyUI checkout.
func Installed(dir string) bool {
	st, err := os.Stat(filepath.Join(dir, "main.py"))
	return err == nil && !st.IsDir()
}

// LogPath is the persistent log of the server comfyhcl launches on port: appended to at
// every launch (comfy-cli's own background log is truncated each time).
func LogPath(workspace string, port int) string {
	return filepath.Join(workspace, "user", "comfyhcl-"+itoa(port)+".log")
}

func isExecutable(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir() && st.Mode()&0o111 != 0
}
