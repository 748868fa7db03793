package main

import (
	"fmt"
	"io"
	"path/filepath"
	"sort"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// requiredStatus is one provider a configuration needs, as `providers` reports it: where
// discovery finds it and whether init recorded it.
type requiredStatus struct {
	Name          string `json:"name"`
	Source        string `json:"source"`
	Constraints   string `json:"constraints,omitempty"`
	Path          string `json:"path,omitempty"`
	LockedVersion string `json:"locked_version,omitempty"`
	Status        string `json:"status"` // ok, not-installed, not-initialised, changed
}

// requiredProvidersStatus checks the third-party providers the configuration in dir
// needs; nil when dir holds no configuration.
func requiredProvidersStatus(dir string) []requiredStatus {
	cfg, diags := lang.LoadDir(dir)
	if cfg == nil || diags.HasErrors() {
		return nil
	}
	lf, _ := plugins.LoadLockFile(filepath.Join(dir, plugins.LockFileName))
	var out []requiredStatus
	for _, name := range thirdPartyProviders(cfg) {
		res, rdiags := resolveProvider(dir, name, requiredProviders(cfg)[name])
		st := requiredStatus{Name: name, Source: res.Source, Constraints: res.Constraints, Path: res.Path, Status: "ok"}
		locked, ok := lf.Provider(res.Source)
		if ok {
			st.LockedVersion = locked.Version
		}
		switch {
		case rdiags.HasErrors():
			st.Status = "not-installed"
		case !ok:
			st.Status = "not-initialised"
		case checkLocked(dir, res).HasErrors():
			st.Status = "changed"
		}
		out = append(out, st)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

var statusAdvice = map[string]string{
	"ok":              "ready",
	"not-installed":   "not installed: put comfyhcl-provider-<name> in .comfyhcl/plugins, then run comfyhcl init",
	"not-initialised": "found but not in the lock file: run comfyhcl init",
	"changed":         "binary changed since init: run comfyhcl init -upgrade if you trust it",
}

func writeRequired(w io.Writer, req []requiredStatus) {
	if len(req) == 0 {
		return
	}
	fmt.Fprintln(w, "\nRequired by the configuration here:")
	for _, r := range req {
		line := fmt.Sprintf("  %s (%s", r.Name, r.Source)
		if r.Constraints != "" {
			line += " " + r.Constraints
		}
		line += ")"
		if r.LockedVersion != "" {
			line += ", locked " + r.LockedVersion
		}
		fmt.Fprintf(w, "%s: %s\n", line, statusAdvice[r.Status])
	}
}
