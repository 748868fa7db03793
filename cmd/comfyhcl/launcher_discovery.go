package main

import (
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// resolvedProvider is a third-party provider binary found for a configuration.
type resolvedProvider struct {
	Name        string // the name the configuration uses ("pool")
	Source      string // "acme/pool"; the name itself when required_providers has no entry
	Constraints string
	Path        string
}

// resolveProvider finds the binary for provider name: required_providers' source names
// it (the part after the slash), and it is looked for in ./.comfyhcl/plugins, then
// $XDG_DATA_HOME/comfyhcl/plugins, then PATH.
func resolveProvider(projectDir, name string, rp *lang.RequiredProvider) (resolvedProvider, plugins.Diagnostics) {
	res := resolvedProvider{Name: name, Source: name}
	if rp != nil && rp.Source != "" {
		res.Source, res.Constraints = rp.Source, rp.Version
	}
	typ := plugins.TypeFromSource(res.Source)
	path, looked, ok := plugins.Find(typ, plugins.SearchDirs(projectDir), true)
	if !ok {
		return res, plugins.Errorf(fmt.Sprintf("Provider %q is not installed", name),
			"No executable %s in %s. Put the provider's binary in %s (or on PATH), then run `comfyhcl init`.%s",
			plugins.BinaryName(typ), strings.Join(looked, ", "), filepath.Join(projectDir, ".comfyhcl", "plugins"), builtinHint(name))
	}
	res.Path = path
	return res, nil
}

func builtinHint(name string) string {
	return fmt.Sprintf(" (Built-in providers: %s; %q is not one of them.)", strings.Join(builtinNames(), ", "), name)
}

// checkLocked refuses a binary that `init` did not record, or whose content changed
// since: a provider runs with the user's rights, so a swapped binary must not run
// silently.
func checkLocked(projectDir string, res resolvedProvider) plugins.Diagnostics {
	lockPath := filepath.Join(projectDir, plugins.LockFileName)
	lf, diags := plugins.LoadLockFile(lockPath)
	if diags.HasErrors() {
		return plugins.Errorf("Cannot read the lock file", "%s", diags.Error())
	}
	locked, ok := lf.Provider(res.Source)
	if !ok {
		return plugins.Errorf(fmt.Sprintf("Provider %q is not initialised", res.Name),
			"%s has no entry for %s. Run `comfyhcl init` to check the binary at %s and record its hash.", plugins.LockFileName, res.Source, res.Path)
	}
	hash, err := plugins.FileHash(res.Path)
	if err != nil {
		return plugins.FromError(fmt.Sprintf("Cannot read provider %q", res.Name), err)
	}
	if !locked.HasHash(hash) {
		return changedBinary(res, locked, hash)
	}
	return nil
}

func changedBinary(res resolvedProvider, locked *plugins.LockedProvider, hash string) plugins.Diagnostics {
	return plugins.Errorf(fmt.Sprintf("Provider %q binary changed since init", res.Name),
		"%s has %s, but %s records %s (version %s) for %s. If you installed a new release on purpose, run `comfyhcl init -upgrade` to accept it; otherwise restore the binary you initialised with.",
		res.Path, hash, plugins.LockFileName, strings.Join(locked.Hashes, ", "), locked.Version, res.Source)
}

// builtinNames lists the providers this binary serves itself, sorted.
func builtinNames() []string {
	names := make([]string, 0, len(builtinProviders))
	for n := range builtinProviders {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}
