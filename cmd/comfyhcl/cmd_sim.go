package main

import (
	"context"
	"flag"
	"fmt"
	"os"

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
	apiKey := fs.String("api-key", "", "cloud flavour: the one valid X-API-Key (default "+comfysim.DefaultAPIKey+")")
	tier := fs.String("tier", "", "cloud flavour: standard (1 job at a time), creator (3) or pro (5)")
	manager := fs.String("manager", "", "serve ComfyUI-Manager routes: legacy, v2 or both (default none, like a plain ComfyUI)")
	previews := fs.String("preview-method", "", "send sampler previews over the WebSocket: auto, latent2rgb or taesd")
	extraClasses := fs.String("extra-classes", "", "a JSON file of extra node classes in /object_info shape (custom nodes to simulate)")
	var faults faultFlags
	fs.Var(&faults, "fault", "inject a fault, e.g. fail-class=ImageInvert (repeatable)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if *flavor != "local" && *flavor != "cloud" {
		fmt.Fprintf(env.Stderr, "comfyhcl sim: -flavor takes local or cloud, not %q\n", *flavor)
		return exitError
	}
	opts := comfysim.Options{Flavor: *flavor, ModelsDir: *models, APIKey: *apiKey, Tier: *tier, Manager: *manager, PreviewMethod: *previews}
	if *extraClasses != "" {
		data, err := os.ReadFile(*extraClasses)
		if err != nil {
			fmt.Fprintln(env.Stderr, "comfyhcl sim: -extra-classes:", err)
			return exitError
		}
		opts.ExtraClasses = data
	}
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
	switch {
	case *flavor == "cloud" && *apiKey == "":
		fmt.Fprintf(env.Stdout, "cloud flavour: set COMFY_CLOUD_API_KEY=%s (the simulator's built-in key)\n", comfysim.DefaultAPIKey)
	case *flavor == "cloud":
		fmt.Fprintln(env.Stdout, "cloud flavour: requests need the key given with -api-key")
	}
	<-ctx.Done()
	return exitOK
}
