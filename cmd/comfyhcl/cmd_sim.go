package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/comfyhcl/comfyhcl/comfysim"
)

func init() {
	registerCommand(command{Name: "sim", Synopsis: "run the ComfyUI simulator (test specs without a GPU)", Run: runSim})
}

type faultFlags []string

func (f *faultFlags) String() string     { return fmt.Sprint(*f) }
func (f *faultFlags) Set(v string) error { *f = append(*f, v); return nil }

func runSim(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	listen := fs.String("listen", "127.0.0.1:8188", "address to listen on")
	flavor := fs.String("flavor", "local", "local or cloud")
	models := fs.String("models", "", "directory whose subfolders are the model folders (default: a temp dir with one placeholder checkpoint)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault, e.g. fail-class=ImageInvert (repeatable)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	opts := comfysim.Options{Flavor: *flavor, ModelsDir: *models}
	for _, spec := range faults {
		if err := comfysim.ParseFault(spec, &opts.Faults); err != nil {
			fmt.Fprintf(env.Stderr, "comfyhcl sim: -fault %s: %v\n", spec, err)
			return exitError
		}
	}
	srv, err := comfysim.New(opts)
	if err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl sim:", err)
		return exitError
	}
	if err := srv.Start(*listen); err != nil {
		fmt.Fprintln(env.Stderr, "comfyhcl sim:", err)
		return exitError
	}
	defer srv.Close()
	fmt.Fprintf(env.Stdout, "comfysim listening on %s\n", srv.URL())
	<-ctx.Done()
	return exitOK
}
