package main

import (
	"os"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/pool"
	"github.com/hashicorp/go-hclog"
)

func main() {
	debug := len(os.Args) > 1 && (os.Args[1] == "-debug" || os.Args[1] == "--debug")
	log := hclog.New(&hclog.LoggerOptions{Name: "pool", Output: os.Stderr, JSONFormat: true, Level: hclog.Info})
	plugins.Serve(pool.New(log), plugins.ServeOptions{Logger: log, Debug: debug})
}
