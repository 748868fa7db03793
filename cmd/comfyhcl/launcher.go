package main

import (
	"fmt"
	"os"
	"os/exec"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
)

// providerLauncher starts providers for the engine: built-ins by re-executing this
// binary (`comfyhcl internal-provider NAME`), so the subprocess path is the one every
// user and test takes; third-party providers by discovering comfyhcl-provider-<name>
// (see resolveProvider) and checking it against .comfyhcl.lock.hcl; and, for debugging,
// providers named in COMFYHCL_REATTACH_PROVIDERS, which are attached to, not started.
type providerLauncher struct {
	exe     string
	log     hclog.Logger
	logPath string

	// projectDir holds the configuration, its .comfyhcl/plugins and its lock file;
	// required maps provider names to required_providers entries. Both come from the
	// session's configuration when useConfig is called, else from the working directory.
	mu         sync.Mutex
	projectDir string
	required   map[string]*lang.RequiredProvider
	loaded     bool
	warned     bool
}

func newProviderLauncher(log hclog.Logger) (*providerLauncher, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find the comfyhcl binary to start providers: %w", err)
	}
	wd, _ := os.Getwd()
	return &providerLauncher{exe: exe, log: log, logPath: os.Getenv("COMFYHCL_LOG_PATH"), projectDir: wd}, nil
}

// useConfig points discovery at a loaded configuration (its directory and
// required_providers) instead of the working directory.
func (l *providerLauncher) useConfig(cfg *lang.Config) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.projectDir, l.required, l.loaded = cfg.Dir, requiredProviders(cfg), true
}

func (l *providerLauncher) Launch(providerType string) (*plugins.Instance, plugins.Diagnostics) {
	if rc, diags := l.reattachFor(providerType); rc != nil || diags.HasErrors() {
		if diags.HasErrors() {
			return nil, diags
		}
		return plugins.Launch(plugins.LaunchConfig{Name: providerType, Reattach: rc, Logger: l.log, LogPath: l.logPath})
	}
	var cmd *exec.Cmd
	if _, ok := builtinProviders[providerType]; ok {
		cmd = exec.Command(l.exe, "internal-provider", providerType)
	} else {
		dir, required := l.config()
		res, diags := resolveProvider(dir, providerType, required[providerType])
		if diags.HasErrors() {
			return nil, diags
		}
		if diags := checkLocked(dir, res); diags.HasErrors() {
			return nil, diags
		}
		cmd = exec.Command(res.Path)
		cmd.Dir = dir
	}
	cmd.Env = os.Environ()
	return plugins.Launch(plugins.LaunchConfig{Name: providerType, Cmd: cmd, Logger: l.log, LogPath: l.logPath, StartTimeout: startTimeout()})
}

// config returns the project directory and required_providers, reading the working
// directory's configuration once when no session configuration was given.
func (l *providerLauncher) config() (string, map[string]*lang.RequiredProvider) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.loaded {
		l.loaded = true
		if cfg, diags := lang.LoadDir(l.projectDir); cfg != nil && !diags.HasErrors() {
			l.required = requiredProviders(cfg)
		}
	}
	return l.projectDir, l.required
}

func requiredProviders(cfg *lang.Config) map[string]*lang.RequiredProvider {
	if cfg == nil || cfg.Settings == nil {
		return nil
	}
	return cfg.Settings.RequiredProviders
}

// reattachFor returns the reattach address of a provider named in
// COMFYHCL_REATTACH_PROVIDERS, warning once on stderr that it is in use.
func (l *providerLauncher) reattachFor(name string) (*plugins.ReattachInfo, plugins.Diagnostics) {
	value := os.Getenv(plugins.ReattachEnv)
	if value == "" {
		return nil, nil
	}
	infos, err := plugins.ParseReattach(value)
	if err != nil {
		return nil, plugins.FromError("Invalid "+plugins.ReattachEnv, err)
	}
	info, ok := infos[name]
	if !ok {
		return nil, nil
	}
	l.mu.Lock()
	if !l.warned {
		l.warned = true
		fmt.Fprintf(os.Stderr, "Warning: %s is set: provider %q is the process already running under a debugger (pid %d), not a binary comfyhcl checked. Unset it for normal use.\n\n", plugins.ReattachEnv, name, info.Pid)
	}
	l.mu.Unlock()
	return &info, nil
}

// startTimeout is COMFYHCL_PROVIDER_START_TIMEOUT, for providers that are slow to start.
func startTimeout() time.Duration {
	if d, err := time.ParseDuration(os.Getenv("COMFYHCL_PROVIDER_START_TIMEOUT")); err == nil && d > 0 {
		return d
	}
	return 0
}

// newLogger writes to COMFYHCL_LOG_PATH when set (providers' logs included), and
// nowhere otherwise: the terminal is for the user's output.
func newLogger() hclog.Logger {
	path := os.Getenv("COMFYHCL_LOG_PATH")
	if path == "" {
		return hclog.NewNullLogger()
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintf(os.Stderr, "comfyhcl: cannot open COMFYHCL_LOG_PATH %s: %v\n", path, err)
		return hclog.NewNullLogger()
	}
	level := hclog.LevelFromString(os.Getenv("COMFYHCL_LOG"))
	if level == hclog.NoLevel {
		level = hclog.Debug
	}
	return hclog.New(&hclog.LoggerOptions{Name: "comfyhcl", Output: f, Level: level})
}
