package plugins

import (
	"context"
	"fmt"
	"os/exec"
	"strings"
	"sync"
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
}

// Launch starts a provider subprocess and completes the go-plugin handshake over gRPC
// with AutoMTLS. A provider that fails to start, hangs, or speaks another protocol
// version yields one diagnostic naming it, with the last lines of its stderr.
func Launch(cfg LaunchConfig) (*Instance, Diagnostics) {
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	if cfg.StartTimeout == 0 {
		cfg.StartTimeout = 10 * time.Second
	}
	tail := newTailBuffer(20)
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  Handshake,
		Plugins:          plugin.PluginSet{pluginName: &providerPlugin{}},
		Cmd:              cfg.Cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		Managed:          true,
		Logger:           cfg.Logger.Named(cfg.Name),
		Stderr:           tail,
		StartTimeout:     cfg.StartTimeout,
		GRPCDialOptions:  grpcDialOptions(),
	})
	fail := func(op string, err error) (*Instance, Diagnostics) {
		client.Kill()
		detail := err.Error()
		if extra := describe(cfg.LogPath, tail); extra != "" {
			detail += "\n" + extra
		}
		return nil, Diagnostics{{Severity: SeverityError,
			Summary: fmt.Sprintf("Provider %q failed during %s", cfg.Name, op),
			Detail:  detail}}
	}
	rpc, err := client.Client()
	if err != nil {
		return fail("start-up", err)
	}
	raw, err := rpc.Dispense(pluginName)
	if err != nil {
		return fail("start-up", err)
	}
	gc, ok := raw.(*grpcClient)
	if !ok {
		return fail("start-up", fmt.Errorf("provider served an unexpected plugin type %T", raw))
	}
	gc.name = cfg.Name
	gc.describeFailure = func() string { return describe(cfg.LogPath, tail) }
	inst := &Instance{Provider: gc, Name: cfg.Name, client: client, stderr: tail}
	if rc := client.ReattachConfig(); rc != nil {
		inst.Pid = rc.Pid
	}
	return inst, nil
}

// Close asks the provider to stop, then ends the process.
func (i *Instance) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = i.Provider.Stop(ctx)
	i.client.Kill()
}

// Exited reports whether the provider process has ended.
func (i *Instance) Exited() bool { return i.client.Exited() }

// CleanupAll kills every provider this process launched; call it on every exit path.
func CleanupAll() { plugin.CleanupClients() }

func describe(logPath string, tail *tailBuffer) string {
	var parts []string
	if logPath != "" {
		parts = append(parts, "Provider log: "+logPath)
	}
	if lines := tail.Lines(); len(lines) > 0 {
		parts = append(parts, "Last lines of its stderr:\n  "+strings.Join(lines, "\n  "))
	}
	return strings.Join(parts, "\n")
}

// tailBuffer keeps the last n lines written to it.
type tailBuffer struct {
	mu    sync.Mutex
	n     int
	lines []string
	part  string
}

func newTailBuffer(n int) *tailBuffer { return &tailBuffer{n: n} }

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	chunks := strings.Split(t.part+string(p), "\n")
	t.part = chunks[len(chunks)-1]
	for _, l := range chunks[:len(chunks)-1] {
		if l = strings.TrimRight(l, "\r"); l != "" {
			t.lines = append(t.lines, l)
		}
	}
	if len(t.lines) > t.n {
		t.lines = t.lines[len(t.lines)-t.n:]
	}
	return len(p), nil
}

func (t *tailBuffer) Lines() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := append([]string(nil), t.lines...)
	if t.part != "" {
		out = append(out, t.part)
	}
	return out
}
