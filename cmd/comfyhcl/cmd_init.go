package main

import (
	"context"
	"flag"
	"fmt"
	"path/filepath"
	"sort"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	goversion "github.com/hashicorp/go-version"
	"github.com/hashicorp/hcl/v2"
)

func init() {
	registerCommand(command{Name: "init", Synopsis: "find and verify providers, write .comfyhcl.lock.hcl", Run: runInit})
}

// runInit finds every third-party provider the configuration needs, checks that it is
// a provider of the right protocol and version, and records its sha256 in the lock
// file. A binary whose hash differs from the recorded one is refused unless -upgrade.
func runInit(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("init", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	upgrade := fs.Bool("upgrade", false, "accept provider binaries whose hash changed since the last init (a new release)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	dir := env.Dir
	if fs.Arg(0) != "" {
		dir = fs.Arg(0)
	}
	dir, _ = filepath.Abs(dir)
	cfg, diags := lang.LoadDir(dir)
	if diags.HasErrors() {
		return fail(env, diags, cfg.Files)
	}
	lockPath := filepath.Join(dir, plugins.LockFileName)
	lf, ldiags := plugins.LoadLockFile(lockPath)
	if ldiags.HasErrors() {
		return fail(env, ldiags, nil)
	}
	names := thirdPartyProviders(cfg)
	if len(names) == 0 {
		fmt.Fprintln(env.Stdout, "This configuration uses only built-in providers; nothing to install.")
	}
	for _, name := range names {
		rp := requiredProviders(cfg)[name]
		d := initProvider(ctx, env, dir, name, rp, lf, *upgrade)
		diags = append(diags, d...)
	}
	if diags.HasErrors() {
		return fail(env, diags, cfg.Files)
	}
	if len(names) == 0 && len(lf.Providers)+len(lf.Models)+len(lf.Nodes) == 0 {
		return exitOK // nothing to pin: no lock file
	}
	if err := lf.Save(lockPath); err != nil {
		return fail(env, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot write the lock file", Detail: err.Error()}}, nil)
	}
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, cfg.Files, false)
	}
	fmt.Fprintf(env.Stdout, "\ncomfyhcl has been initialised; %s records the providers. Commit it.\n", plugins.LockFileName)
	return exitOK
}

func initProvider(ctx context.Context, env *Env, dir, name string, rp *lang.RequiredProvider, lf *plugins.LockFile, upgrade bool) hcl.Diagnostics {
	subject := (*hcl.Range)(nil)
	if rp != nil {
		subject = rp.DeclRange.Ptr()
	}
	res, pdiags := resolveProvider(dir, name, rp)
	if pdiags.HasErrors() {
		return placed(pdiags, subject)
	}
	desc, pdiags := plugins.DescribeBinary(ctx, name, res.Path)
	if pdiags.HasErrors() {
		return placed(pdiags, subject)
	}
	if res.Constraints != "" {
		if d := checkConstraint(name, res, desc.Version); d != nil {
			d.Subject = subject
			return hcl.Diagnostics{d}
		}
	}
	hash, err := plugins.FileHash(res.Path)
	if err != nil {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read provider " + name, Detail: err.Error(), Subject: subject}}
	}
	entry := plugins.LockedProvider{Source: res.Source, Version: desc.Version, Constraints: res.Constraints, Hashes: []string{hash}}
	if prev, ok := lf.Provider(res.Source); ok {
		switch {
		case prev.HasHash(hash):
			entry.Hashes = prev.Hashes // keep the other platforms' hashes
		case !upgrade:
			return placed(changedBinary(res, prev, hash), subject)
		}
	}
	lf.SetProvider(entry)
	fmt.Fprintf(env.Stdout, "- %s %s (protocol %s) at %s\n  %s\n", res.Source, desc.Version, desc.Protocol, res.Path, hash)
	return nil
}

// checkConstraint compares the version a provider describes with required_providers.
func checkConstraint(name string, res resolvedProvider, got string) *hcl.Diagnostic {
	cons, err := goversion.NewConstraint(res.Constraints)
	if err != nil {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid version constraint",
			Detail: fmt.Sprintf("%q for provider %q: %v. Write it like \"~> 1.0\" or \">= 1.2, < 2.0\".", res.Constraints, name, err)}
	}
	v, err := goversion.NewVersion(got)
	if err != nil || !cons.Check(v) {
		return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: fmt.Sprintf("Provider %q version %s does not match %q", name, got, res.Constraints),
			Detail: fmt.Sprintf("%s is version %s; required_providers asks for %s %s. Install a matching release of %s, or change the constraint.", res.Path, got, res.Source, res.Constraints, res.Source)}
	}
	return nil
}

// thirdPartyProviders are the provider names the configuration needs that this binary
// does not serve itself: required_providers entries and provider blocks, sorted.
func thirdPartyProviders(cfg *lang.Config) []string {
	seen := map[string]bool{}
	if cfg.Settings != nil {
		for name := range cfg.Settings.RequiredProviders {
			seen[name] = true
		}
	}
	for _, p := range cfg.Providers {
		seen[p.Type] = true
	}
	var out []string
	for name := range seen {
		if _, builtin := builtinProviders[name]; !builtin {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

func placed(in plugins.Diagnostics, subject *hcl.Range) hcl.Diagnostics {
	out := pluginDiags(in)
	for _, d := range out {
		d.Subject = subject
	}
	return out
}
