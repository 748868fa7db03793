package main

import (
	"fmt"
	"os"
	"os/exec"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/go-hclog"
)

// providerLauncher starts built-in providers by re-executing this binary, so the
// subprocess path is the one every user and every test takes.
type providerLauncher struct {
	exe     string
	log     hclog.Logger
	logPath string
}

func newProviderLauncher(log hclog.Logger) (*providerLauncher, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, fmt.Errorf("cannot find the comfyhcl binary to start providers: %w", err)
	}
	return &providerLauncher{exe: exe, log: log, logPath: os.Getenv("COMFYHCL_LOG_PATH")}, nil
}

func (l *providerLauncher) Launch(providerType string) (*plugins.Instance, plugins.Diagnostics) {
	if _, ok := builtinProviders[providerType]; !ok {
		return nil, plugins.Errorf(fmt.Sprintf("Unknown provider %q", providerType),
			"comfyhcl has no built-in provider of that name (built-ins: local). Third-party providers are binaries named comfyhcl-provider-%s.", providerType)
	}
	cmd := exec.Command(l.exe, "internal-provider", providerType)
	cmd.Env = os.Environ()
	return plugins.Launch(plugins.LaunchConfig{Name: providerType, Cmd: cmd, Logger: l.log, LogPath: l.logPath})
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
