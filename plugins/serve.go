package plugins

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// ServeOptions tunes Serve. The zero value is right for most providers.
type ServeOptions struct {
	// Logger receives the provider's logs; they reach the host over stderr and end up
	// in COMFYHCL_LOG_PATH. Default: JSON to stderr, as go-plugin expects. Never write
	// to stdout: it carries the handshake.
	Logger hclog.Logger
	// ParentCheckInterval is how often the watchdog checks that the host is alive.
	// Default 250ms, so a provider outlives a killed host by well under 2s.
	ParentCheckInterval time.Duration
	// Debug serves the provider unmanaged, for a debugger: instead of waiting for a
	// host to start it, it prints a COMFYHCL_REATTACH_PROVIDERS value to paste into the
	// shell that runs comfyhcl, and serves until interrupted (Ctrl-C).
	Debug bool
	// DebugOut receives the reattach line in Debug mode. Default os.Stdout.
	DebugOut io.Writer
}

// Serve runs provider p as a plugin subprocess until the host closes it. Call it from a
// provider binary's main. It never returns normally:
//
//   - `BINARY describe` prints p's Description as JSON and exits, before any handshake
//     (p.Metadata must work on an unconfigured provider);
//   - run by hand, it says it is a comfyhcl provider and exits 1;
//   - started by comfyhcl, it serves gRPC, and exits when the host closes it or goes
//     away, even if the host was killed with SIGKILL (the parent-death watchdog).
func Serve(p Provider, opts ServeOptions) {
	if len(os.Args) > 1 && os.Args[1] == DescribeArg {
		os.Exit(printDescription(os.Stdout, p))
	}
	if opts.Logger == nil {
		opts.Logger = hclog.New(&hclog.LoggerOptions{Output: os.Stderr, JSONFormat: true, Level: hclog.Info})
	}
	if opts.ParentCheckInterval == 0 {
		opts.ParentCheckInterval = 250 * time.Millisecond
	}
	if opts.Debug {
		serveDebug(p, opts)
		os.Exit(0)
	}
	if os.Getenv(Handshake.MagicCookieKey) != Handshake.MagicCookieValue {
		fmt.Fprintln(os.Stderr, "This is a comfyhcl provider: comfyhcl starts it itself. Run it with `describe` to see what it is, or with its debug flag to attach a debugger.")
		os.Exit(1)
	}
	go watchParent(os.Getppid(), opts.ParentCheckInterval, opts.Logger)
	plugin.Serve(serveConfig(p, opts.Logger, nil))
	os.Exit(0)
}

func serveConfig(p Provider, log hclog.Logger, test *plugin.ServeTestConfig) *plugin.ServeConfig {
	return &plugin.ServeConfig{
		HandshakeConfig: Handshake,
		Plugins:         plugin.PluginSet{pluginName: &providerPlugin{impl: p}},
		GRPCServer:      grpcServerOptions,
		Logger:          log,
		Test:            test,
	}
}

func printDescription(w io.Writer, p Provider) int {
	ctx, cancel := context.WithTimeout(context.Background(), describeTimeout)
	defer cancel()
	d, err := describeProvider(ctx, p)
	if err != nil {
		fmt.Fprintln(os.Stderr, "describe:", err)
		return 1
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(d); err != nil {
		return 1
	}
	return 0
}

// watchParent exits the process when it is re-parented, which is how a child learns
// that its host died without closing it (go-plugin has no such protection).
func watchParent(parent int, every time.Duration, log hclog.Logger) {
	for range time.Tick(every) {
		if os.Getppid() != parent {
			log.Warn("host process went away; provider exiting", "parent", parent)
			os.Exit(2)
		}
	}
}

// serveDebug serves in go-plugin's test mode and prints how to reattach.
func serveDebug(p Provider, opts ServeOptions) {
	out := opts.DebugOut
	if out == nil {
		out = os.Stdout
	}
	name := "provider"
	if md, diags := p.Metadata(context.Background()); !diags.HasErrors() && md.Name != "" {
		name = md.Name
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	reattach := make(chan *plugin.ReattachConfig, 1)
	closed := make(chan struct{})
	go plugin.Serve(serveConfig(p, opts.Logger, &plugin.ServeTestConfig{Context: ctx, ReattachConfigCh: reattach, CloseCh: closed}))
	select {
	case rc := <-reattach:
		line, err := FormatReattach(name, rc)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return
		}
		fmt.Fprintf(out, "Provider %q is serving for a debugger. In the shell that runs comfyhcl:\n\n  export %s='%s'\n\nCtrl-C here stops it.\n", name, ReattachEnv, line)
	case <-closed:
		return
	}
	<-closed
}
