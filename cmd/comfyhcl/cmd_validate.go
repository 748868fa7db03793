package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"
)

func init() {
	registerCommand(command{Name: "validate", Synopsis: "check the configuration without contacting a server", Run: runValidate})
}

// runValidate is `comfyhcl validate [-json] [-no-color] [DIR]`: everything lang can
// check statically. Diagnostics go to stderr (human) or stdout (-json); exit 1 on errors.
func runValidate(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("validate", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	noColor := fs.Bool("no-color", false, "no colours in the output")
	fs.Usage = func() {
		fmt.Fprintln(env.Stderr, "Usage: comfyhcl validate [-json] [-no-color] [DIR]\n\nChecks the *.comfy.hcl files of DIR (default: the current directory): syntax,\nblocks and arguments, references, types, functions, cycles and sensitive outputs.\nIt needs no server and no variable values.\n\nFlags:")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 1 {
		fmt.Fprintln(env.Stderr, "comfyhcl validate: at most one directory")
		return exitError
	}
	dir := env.Dir
	if fs.NArg() == 1 {
		dir = fs.Arg(0)
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(env.Dir, dir)
		}
	}
	diags, files := validateDir(dir)
	diags, files = displayPaths(env.Dir, diags, files)
	sortDiagnostics(diags)
	if *asJSON {
		return writeValidateJSON(env.Stdout, diags, files)
	}
	renderDiagnostics(env.Stderr, diags, files, !*noColor && diagColor(env.Stderr))
	if diags.HasErrors() {
		return exitError
	}
	if len(diags) > 0 {
		fmt.Fprintln(env.Stdout, "Success! The configuration is valid, but there were some validation warnings as shown above.")
	} else {
		fmt.Fprintln(env.Stdout, "Success! The configuration is valid.")
	}
	return exitOK
}

// validateDir loads dir and validates it; it reports everything found, not only the
// load errors.
func validateDir(dir string) (hcl.Diagnostics, map[string]*hcl.File) {
	cfg, diags := lang.LoadDir(dir)
	if len(cfg.Files) == 0 {
		return diags, cfg.Files
	}
	return append(diags, cfg.Validate()...), cfg.Files
}

// jsonValidate is validate -json's document.
type jsonValidate struct {
	FormatVersion string           `json:"format_version"`
	Valid         bool             `json:"valid"`
	ErrorCount    int              `json:"error_count"`
	WarningCount  int              `json:"warning_count"`
	Diagnostics   []jsonDiagnostic `json:"diagnostics"`
}

func writeValidateJSON(w io.Writer, diags hcl.Diagnostics, files map[string]*hcl.File) int {
	doc := jsonValidate{FormatVersion: "1.0", Valid: !diags.HasErrors(), Diagnostics: diagnosticsJSONWithSource(diags, files)}
	for _, d := range diags {
		if d.Severity == hcl.DiagWarning {
			doc.WarningCount++
		} else {
			doc.ErrorCount++
		}
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		fmt.Fprintln(w, `{"format_version":"1.0","valid":false}`)
		return exitError
	}
	fmt.Fprintf(w, "%s\n", b)
	if doc.Valid {
		return exitOK
	}
	return exitError
}

// displayPaths rewrites file names below base as relative paths, so diagnostics say
// main.comfy.hcl:4:3 rather than the absolute path the files were loaded from.
func displayPaths(base string, diags hcl.Diagnostics, files map[string]*hcl.File) (hcl.Diagnostics, map[string]*hcl.File) {
	rel := func(name string) string {
		if r, err := filepath.Rel(base, name); err == nil && !strings.HasPrefix(r, "..") {
			return r
		}
		return name
	}
	out := make(hcl.Diagnostics, len(diags))
	for i, d := range diags {
		c := *d
		if c.Subject != nil {
			s := *c.Subject
			s.Filename = rel(s.Filename)
			c.Subject = &s
		}
		if c.Context != nil {
			s := *c.Context
			s.Filename = rel(s.Filename)
			c.Context = &s
		}
		out[i] = &c
	}
	renamed := make(map[string]*hcl.File, len(files))
	for name, f := range files {
		renamed[rel(name)] = f
	}
	return out, renamed
}

// diagColor says whether w is a terminal that wants colour (never with NO_COLOR).
func diagColor(w io.Writer) bool {
	if os.Getenv("NO_COLOR") != "" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
