package cloud

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

func savePreview(dir, promptID string, n int, pv *comfyapi.Preview) string {
	ext := ".jpg"
	if pv.MediaType == "image/png" {
		ext = ".png"
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return ""
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-%04d%s", promptID, n, ext))
	if err := os.WriteFile(path, pv.Data, 0o644); err != nil {
		return ""
	}
	return path
}
