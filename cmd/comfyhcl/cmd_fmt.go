package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/hcl/v2"
)

func init() {
	registerCommand(command{Name: "fmt", Synopsis: "rewrite configuration files in the canonical format", Run: runFmt})
}

// fmtOptions are fmt's flags.
type fmtOptions struct {
	check, diff, recursive, write, list, noColor bool
}

// runFmt is `comfyhcl fmt [-check] [-diff] [-recursive] [-write=false] [-list=false]
// [PATH...]`. PATH is a file, a directory (its *.comfy.hcl and *.vars.hcl files) or "-"
// for stdin to stdout. -check writes nothing and exits 3 when a file would change.
func runFmt(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("fmt", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var o fmtOptions
	fs.BoolVar(&o.check, "check", false, "write nothing; exit 3 if any file is not formatted")
	fs.BoolVar(&o.diff, "diff", false, "print the changes as a unified diff")
	fs.BoolVar(&o.recursive, "recursive", false, "also format files in subdirectories")
	fs.BoolVar(&o.write, "write", true, "rewrite the files in place")
	fs.BoolVar(&o.list, "list", true, "print the names of files that change")
	fs.BoolVar(&o.noColor, "no-color", false, "no colours in the output")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: comfyhcl fmt [-check] [-diff] [-recursive] [-write=false] [-list=false] [PATH...]\n\nRewrites *.comfy.hcl and *.vars.hcl files in the canonical layout. PATH is a file,\na directory (default: the current one) or - for stdin to stdout.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if o.check {
		o.write = false
	}
	paths := fs.Args()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	color := !o.noColor && diagColor(env.Stderr)
	changed, failed := false, false
	for _, p := range paths {
		if p == "-" {
			c, ok := fmtStdin(env, o, color)
			changed, failed = changed || c, failed || !ok
			continue
		}
		files, err := fmtCollect(env.Dir, p, o.recursive)
		if err != nil {
			fmt.Fprintf(env.Stderr, "comfyhcl fmt: %s\n", err)
			failed = true
			continue
		}
		for _, f := range files {
			c, ok := fmtFile(env, f, o, color)
			changed, failed = changed || c, failed || !ok
		}
	}
	switch {
	case failed:
		return exitError
	case o.check && changed:
		return exitFmtCheck
	}
	return exitOK
}

// fmtCollect lists the files PATH names: the file itself, or a directory's config and
// vars files (hidden directories such as .comfyhcl are skipped when recursing).
func fmtCollect(base, p string, recursive bool) ([]string, error) {
	abs := p
	if !filepath.IsAbs(abs) {
		abs = filepath.Join(base, p)
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("no file or directory at %s", p)
	}
	if !fi.IsDir() {
		return []string{abs}, nil
	}
	var files []string
	err = filepath.WalkDir(abs, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if path != abs && (!recursive || strings.HasPrefix(d.Name(), ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(d.Name(), lang.ConfigSuffix) || strings.HasSuffix(d.Name(), ".vars.hcl") {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

// fmtFile formats one file; changed reports whether it differs from its canonical form.
func fmtFile(env *Env, path string, o fmtOptions, color bool) (changed, ok bool) {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(env.Stderr, "comfyhcl fmt: %s\n", err)
		return false, false
	}
	name := path
	if r, err := filepath.Rel(env.Dir, path); err == nil && !strings.HasPrefix(r, "..") {
		name = r
	}
	out, diags := lang.Format(src, name)
	if diags.HasErrors() {
		renderDiagnostics(env.Stderr, diags, map[string]*hcl.File{name: {Bytes: src}}, color)
		return false, false
	}
	if bytes.Equal(src, out) {
		return false, true
	}
	if o.list {
		fmt.Fprintln(env.Stdout, name)
	}
	if o.diff {
		writeUnifiedDiff(env.Stdout, name, src, out)
	}
	if o.write {
		fi, err := os.Stat(path)
		mode := os.FileMode(0o644)
		if err == nil {
			mode = fi.Mode().Perm()
		}
		if err := writeFileAtomic(path, out, mode); err != nil {
			fmt.Fprintf(env.Stderr, "comfyhcl fmt: %s\n", err)
			return true, false
		}
	}
	return true, true
}

func fmtStdin(env *Env, o fmtOptions, color bool) (changed, ok bool) {
	in := env.Stdin
	if in == nil {
		in = strings.NewReader("")
	}
	src, err := io.ReadAll(in)
	if err != nil {
		fmt.Fprintf(env.Stderr, "comfyhcl fmt: reading stdin: %s\n", err)
		return false, false
	}
	out, diags := lang.Format(src, "<stdin>")
	if diags.HasErrors() {
		renderDiagnostics(env.Stderr, diags, map[string]*hcl.File{"<stdin>": {Bytes: src}}, color)
		return false, false
	}
	changed = !bytes.Equal(src, out)
	switch {
	case o.diff:
		if changed {
			writeUnifiedDiff(env.Stdout, "<stdin>", src, out)
		}
	case !o.check:
		env.Stdout.Write(out)
	}
	return changed, true
}

// writeFileAtomic replaces path through a temp file in the same directory, so an
// interrupted fmt never leaves a half-written config.
func writeFileAtomic(path string, data []byte, mode os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
