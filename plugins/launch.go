package plugins

import (
	"context"
	"fmt"
	"os/exec"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
)

// LaunchConfig says how to start one provider process.
type LaunchConfig struct {
	// Name is the provider's name as the config spells it ("local", "pool"); it names the
	// provider in every diagnostic.
	Name string
	// Cmd is the provider binary with its arguments; it must not have been started.
	Cmd *exec.Cmd
	// Reattach, when set, attaches to a provider already running under a debugger
	// instead of starting Cmd; Close then leaves that process alone.
	Reattach *ReattachInfo
	// Block names the configuration block the provider serves, for diagnostics.
	// Default: provider "<Name>".
	Block string
	// Logger receives the provider's own logs. Default: discarded.
	Logger hclog.Logger
	// LogPath is shown to the user when the provider fails, so they know where to look.
	LogPath string
	// StartTimeout bounds the handshake. Default 10s.
	StartTimeout time.Duration
}

// Instance is a running provider process with its client.
type Instance struct {
	Provider
	Name   string
	Pid    int
	client *plugin.Client
	stderr *tailBuffer
	// inProcess is set for instances from InProcessInstance: nothing to kill.
	inProcess func()
}

// Launch starts a provider subprocess and completes the go-plugin handshake over gRPC
// with AutoMTLS. A provider that crashes, hangs on start, prints junk on stdout or
// speaks another protocol version yields one diagnostic naming it, the operation, the
// block, both versions where relevant, the log file and the last lines of its stderr;
// its process is gone when Launch returns.
func Launch(cfg LaunchConfig) (*Instance, Diagnostics) {
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	if cfg.StartTimeout == 0 {
		cfg.StartTimeout = 10 * time.Second
	}
	if cfg.Block == "" {
		cfg.Block = fmt.Sprintf("provider %q", cfg.Name)
	}
	tail := newTailBuffer(20)
	cc := &plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{pluginName: &providerPlugin{}},
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		Logger:           cfg.Logger.Named(cfg.Name),
		Stderr:           tail,
		StartTimeout:     cfg.StartTimeout,
		GRPCDialOptions:  grpcDialOptions(),
	}
	if cfg.Reattach != nil {
		rc, err := cfg.Reattach.config()
		if err != nil {
			return nil, Errorf(fmt.Sprintf("Cannot reattach to provider %q", cfg.Name), "%s has a bad address for it: %v", ReattachEnv, err)
		}
		cc.Reattach = rc
	} else {
		cc.Cmd, cc.AutoMTLS, cc.Managed = cfg.Cmd, true, true
	}
	client := plugin.NewClient(cc)
	fail := func(err error) (*Instance, Diagnostics) {
		client.Kill()
		return nil, startFailure(cfg, err, tail)
	}
	rpc, err := client.Client()
	if err != nil {
		return fail(err)
	}
	raw, err := rpc.Dispense(pluginName)
	if err != nil {
		return fail(err)
	}
	gc, ok := raw.(*grpcClient)
	if !ok {
		return fail(fmt.Errorf("provider served an unexpected plugin type %T", raw))
	}
	inst := &Instance{Provider: gc, Name: cfg.Name, client: client, stderr: tail}
	gc.name, gc.block = cfg.Name, cfg.Block
	gc.describeFailure = func(waitExit bool) string {
		if waitExit {
			inst.waitExited(time.Second)
		}
		return failureContext(cfg.LogPath, tail)
	}
	if rc := client.ReattachConfig(); rc != nil {
		inst.Pid = rc.Pid
	}
	return inst, nil
}

// Close asks the provider to stop, then ends the process (waiting for it to exit, and
// killing it after 2s). A reattached provider keeps running.
func (i *Instance) Close() {
	if i.inProcess != nil {
		i.inProcess()
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = i.Provider.Stop(ctx)
	i.client.Kill()
}

// Exited reports whether the provider process has ended.
func (i *Instance) Exited() bool {
	if i.client == nil {
		return false
	}
	return i.client.Exited()
}

// waitExited gives a crashing provider a moment to finish writing its stderr.
func (i *Instance) waitExited(limit time.Duration) {
	for deadline := time.Now().Add(limit); time.Now().Before(deadline) && !i.Exited(); {
		time.Sleep(20 * time.Millisecond)
	}
}

// CleanupAll kills every provider this process launched; call it on every exit path.
func CleanupAll() { plugin.CleanupClients() }
