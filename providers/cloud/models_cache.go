package cloud

import (
	"context"
	"errors"
	"sync"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// modelLists caches Cloud's model list per folder for the life of the provider process
// (one comfyhcl command), so a plan of many models asks once per folder. Errors are not
// cached; an import invalidates its folder.
type modelLists struct {
	mu      sync.Mutex
	folders map[string]*folderList
}

type folderList struct {
	mu      sync.Mutex
	loaded  bool
	names   []string
	missing bool // 404 folder_not_found: unknown or empty
}

func (m *modelLists) entry(folder string) *folderList {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.folders == nil {
		m.folders = map[string]*folderList{}
	}
	f, ok := m.folders[folder]
	if !ok {
		f = &folderList{}
		m.folders[folder] = f
	}
	return f
}

// list answers from the cache or asks Cloud (once per folder, even when asked
// concurrently).
func (m *modelLists) list(ctx context.Context, c *comfyapi.Client, folder string) (names []string, missing bool, err error) {
	f := m.entry(folder)
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.loaded {
		return f.names, f.missing, nil
	}
	names, err = c.Models(ctx, folder)
	switch {
	case errors.Is(err, comfyapi.ErrFolderNotFound):
		f.loaded, f.names, f.missing = true, nil, true
	case err != nil:
		return nil, false, err
	default:
		f.loaded, f.names, f.missing = true, names, false
	}
	return f.names, f.missing, nil
}

// forget drops a folder (after an import) or everything (folder "").
func (m *modelLists) forget(folder string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if folder == "" {
		m.folders = nil
		return
	}
	delete(m.folders, folder)
}
