package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
)

func init() {
	registerCommand(command{Name: "upload", Synopsis: "upload an image or mask to the server's input folder", Run: runUpload})
}

const uploadUsage = `Usage: comfyhcl upload FILE [-mask -for IMAGE] [-subfolder S] [-overwrite] [-json] [-url URL] [-provider local|cloud]`

func runUpload(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("upload", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var of opsFlags
	of.register(fs)
	mask := fs.Bool("mask", false, "upload a mask: its alpha channel is applied to the image named by -for")
	forImage := fs.String("for", "", "with -mask: the image on the server the mask belongs to (as a workflow names it, e.g. photo.png or sub/photo.png)")
	subfolder := fs.String("subfolder", "", "subfolder of the input folder to store the file in")
	overwrite := fs.Bool("overwrite", false, "replace a file of the same name instead of letting the server rename the upload")
	name := fs.String("name", "", "name to store the file under (default: the file's base name)")
	if err := fs.Parse(interleave(args, fs)); err != nil {
		return exitError
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(env.Stderr, uploadUsage)
		return exitError
	}
	if *mask != (*forImage != "") {
		fmt.Fprintln(env.Stderr, "comfyhcl upload: -mask and -for go together: a mask is applied to an image already on the server (upload the image first).")
		return exitError
	}
	file := fs.Arg(0)
	if !filepath.IsAbs(file) {
		file = filepath.Join(env.Dir, file)
	}
	if st, err := os.Stat(file); err != nil || !st.Mode().IsRegular() {
		fmt.Fprintf(env.Stderr, "comfyhcl upload: %s is not a readable file; check the path.\n", fs.Arg(0))
		return exitError
	}
	conn, code := opsConnect(ctx, env, &of.serverFlags)
	if conn == nil {
		return code
	}
	defer conn.close()
	requested := *name
	if requested == "" {
		requested = filepath.Base(file)
	}
	res, diags := conn.Upload(ctx, plugins.UploadRequest{Path: file, Name: requested, Subfolder: *subfolder,
		Overwrite: *overwrite, Mask: *mask, OriginalRef: *forImage})
	if code, stop := opsReport(ctx, env, diags, conn); stop {
		return code
	}
	ref := res.Name
	if res.Subfolder != "" {
		ref = path.Join(res.Subfolder, res.Name)
	}
	if res.Type != "" && res.Type != "input" {
		ref += " [" + res.Type + "]"
	}
	renamed := res.Name != requested
	if of.json {
		writeJSONLine(env.Stdout, map[string]any{"name": res.Name, "subfolder": res.Subfolder, "type": res.Type,
			"reference": ref, "requested": requested, "renamed": renamed, "mask": *mask})
		return exitOK
	}
	// The reference alone on stdout, so that NAME=$(comfyhcl upload x.png) works.
	fmt.Fprintln(env.Stdout, ref)
	if renamed {
		fmt.Fprintf(env.Stderr, "Note: the server already had a different %s, so it stored the upload as %q; use that name in the workflow (or pass -overwrite).\n", requested, res.Name)
	}
	return exitOK
}

// interleave moves flags after positional arguments to the front, so that
// `upload photo.png -subfolder x` works like `upload -subfolder x photo.png`.
func interleave(args []string, fs *flag.FlagSet) []string {
	var flags, pos []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			pos = append(pos, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			pos = append(pos, a)
			continue
		}
		flags = append(flags, a)
		name := a[1:]
		if name[0] == '-' {
			name = name[1:]
		}
		if f := fs.Lookup(name); f != nil && !isBoolFlag(f) && i+1 < len(args) {
			flags = append(flags, args[i+1])
			i++
		}
	}
	return append(flags, pos...)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}
