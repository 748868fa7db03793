package local

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// A plan asks about many models of few folders; the server's folder listings are
// shared for a moment so that plan costs one request per folder, not per model.
// Installs forget the folder they changed.
const folderListTTL = 5 * time.Second

type folderList struct {
	names   []string
	missing bool
	at      time.Time
}

var (
	folderListMu sync.Mutex
	folderLists  = map[string]folderList{} // client base URL + "\x00" + folder
)

// listFolder returns the server's names in folder (missing: the server has no such
// folder), from the short-lived cache when it can.
func listFolder(ctx context.Context, c *comfyapi.Client, folder string) (names []string, missing bool, err error) {
	key := c.BaseURL() + "\x00" + folder
	defer installLocks.lock("list:" + key)() // one request in flight per folder
	folderListMu.Lock()
	fl, ok := folderLists[key]
	folderListMu.Unlock()
	if ok && time.Since(fl.at) < folderListTTL {
		return fl.names, fl.missing, nil
	}
	names, err = c.Models(ctx, folder)
	if errors.Is(err, comfyapi.ErrFolderNotFound) {
		missing, err = true, nil
	}
	if err != nil {
		return nil, false, err
	}
	folderListMu.Lock()
	folderLists[key] = folderList{names: names, missing: missing, at: time.Now()}
	folderListMu.Unlock()
	return names, missing, nil
}

// forgetFolder drops a cached listing after an install changed the folder.
func forgetFolder(c *comfyapi.Client, folder string) {
	folderListMu.Lock()
	delete(folderLists, c.BaseURL()+"\x00"+folder)
	folderListMu.Unlock()
}
