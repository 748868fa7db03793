package plugins

import (
	"fmt"
	"os"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// ServeOptions tunes Serve. The zero value is right for most providers.
type ServeOptions struct {
	// Logger receives the provider's logs; they reach the host over stderr and end up
	// in COMFYHCL_LOG_PATH. Default: JSON to stderr, as go-plugin expects.
	Logger hclog.Logger
	// ParentCheckInterval is how often the watchdog checks that the host is alive.
	ParentCheckInterval time.Duration
}

// Serve runs provider p as a plugin subprocess until the host closes it. Call it from a
// provider binary's main. It never returns normally: the process exits when the host
// goes away, even if the host was killed with SIGKILL (the parent-death watchdog).
func Serve(p Provider, opts ServeOptions) {
	if opts.Logger == nil {
		opts.Logger = hclog.New(&hclog.LoggerOptions{Output: os.Stderr, JSONFormat: true, Level: hclog.Info})
	}
	if opts.ParentCheckInterval == 0 {
		opts.ParentCheckInterval = 250 * time.Millisecond
	}
	if os.Getenv(Handshake.MagicCookieKey) != Handshake.MagicCookieValue {
		fmt.Fprintln(os.Stderr, "This is a comfyhcl provider. comfyhcl starts it itself; it is not meant to be run by hand.")
		os.Exit(1)
	}
	go watchParent(os.Getppid(), opts.ParentCheckInterval, opts.Logger)
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{pluginName: &providerPlugin{impl: p}},
		GRPCServer:      grpcServerOptions,
		Logger:          opts.Logger,
	})
	os.Exit(0)
}

// watchParent exits the process when it is re-parented, which is how a child learns
// that its host died without closing it.
func watchParent(parent int, every time.Duration, log hclog.Logger) {
	for range time.Tick(every) {
		if os.Getppid() != parent {
			log.Warn("host process went away; provider exiting", "parent", parent)
			os.Exit(2)
		}
	}
}
