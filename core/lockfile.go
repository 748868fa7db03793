package core

import (
	"fmt"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// lockPath is the configuration's .comfyhcl.lock.hcl.
func (e *Engine) lockPath() string { return filepath.Join(e.opts.Config.Dir, plugins.LockFileName) }

// loadLock reads the lock file once per engine; a missing file is an empty lock.
func (e *Engine) loadLock() (*plugins.LockFile, hcl.Diagnostics) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.lock != nil {
		return e.lock, nil
	}
	l, diags := plugins.LoadLockFile(e.lockPath())
	if diags.HasErrors() {
		return nil, diags
	}
	e.lock = l
	return l, nil
}

// pinModel applies the lock to a model: a model without sha256 takes the locked one, and a
// declared sha256 that disagrees with the lock is an error, never a silent update.
func pinModel(lock *plugins.LockFile, m *modelValue) hcl.Diagnostics {
	if m.Source == "" {
		return nil
	}
	locked, ok := lock.Model(m.Source)
	if !ok {
		return nil
	}
	if m.SHA256 == "" {
		m.SHA256 = locked.SHA256
		if m.Size == 0 {
			m.Size = locked.Size
		}
		return nil
	}
	if m.SHA256 != locked.SHA256 {
		return hcl.Diagnostics{errDiag(fmt.Sprintf("model.%s disagrees with the lock file", m.Name),
			fmt.Sprintf("%s pins %s to sha256 %s, the model block says %s. If the new hash is right, remove that entry from %s and plan again.",
				plugins.LockFileName, m.Source, locked.SHA256, m.SHA256, plugins.LockFileName), rangePtr(m.DeclRange))}
	}
	return nil
}

// recordModel adds a model's content to the lock after a download or adoption.
func (a *applier) recordModel(spec plugins.ModelSpec, sha string, size int64, subject hcl.Range) hcl.Diagnostics {
	if spec.Source == "" || sha == "" {
		return nil
	}
	return a.updateLock(func(l *plugins.LockFile) hcl.Diagnostics {
		if locked, ok := l.Model(spec.Source); ok && locked.SHA256 != sha {
			return hcl.Diagnostics{errDiag("Download disagrees with the lock file",
				fmt.Sprintf("%s pins %s to sha256 %s but the file has %s.", plugins.LockFileName, spec.Source, locked.SHA256, sha), rangePtr(subject))}
		}
		l.SetModel(plugins.LockedModel{Source: spec.Source, SHA256: sha, Size: size})
		return nil
	})
}

// recordNode adds a node pack's resolved version or commit to the lock; a git ref that
// now resolves to another commit than the locked one is an error.
func (a *applier) recordNode(spec plugins.NodeSpec, version, commit string, subject hcl.Range) hcl.Diagnostics {
	id := spec.Registry
	if spec.Git != "" {
		id = spec.Git
	}
	if id == "" {
		return nil
	}
	return a.updateLock(func(l *plugins.LockFile) hcl.Diagnostics {
		if locked, ok := l.Node(id); ok && spec.Git != "" && locked.Commit != "" && commit != "" && locked.Commit != commit {
			return hcl.Diagnostics{errDiag("Node pack disagrees with the lock file",
				fmt.Sprintf("%s pins %s to commit %s, but ref %q now resolves to %s. If that is intended, remove the entry from the lock file and plan again.",
					plugins.LockFileName, id, locked.Commit, spec.Ref, commit), rangePtr(subject))}
		}
		l.SetNode(plugins.LockedNode{ID: id, Version: version, Commit: commit})
		return nil
	})
}

func (a *applier) updateLock(change func(*plugins.LockFile) hcl.Diagnostics) hcl.Diagnostics {
	lock, diags := a.e.loadLock()
	if diags.HasErrors() {
		return diags
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if d := change(lock); d.HasErrors() {
		return d
	}
	if err := lock.Save(a.e.lockPath()); err != nil {
		return hcl.Diagnostics{errDiag("Cannot write the lock file", err.Error(), nil)}
	}
	return nil
}
