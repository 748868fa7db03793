package main

import (
	"context"
	"encoding/json"
	"flag"
	"path/filepath"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/hashicorp/hcl/v2"
)

// serverFlags are shared by every command that talks to a server without a plan:
// -url and -provider pick the server directly; otherwise the provider configured in the
// working directory's *.comfy.hcl is used; otherwise a local server at the default URL.
type serverFlags struct {
	url      string
	provider string
	configFlags
}

func (s *serverFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.url, "url", "", "server URL (default: the configured provider, else http://127.0.0.1:8188)")
	fs.StringVar(&s.provider, "provider", "", "provider type: local or cloud (cloud reads COMFY_CLOUD_API_KEY)")
	s.configFlags.register(fs)
}

// serverConn is a configured provider and what must be closed after use.
type serverConn struct {
	plugins.Provider
	concurrency int
	close       func()
	files       map[string]*hcl.File
}

// connectServer resolves which server the command talks to and starts its provider.
func connectServer(ctx context.Context, env *Env, sf *serverFlags) (*serverConn, hcl.Diagnostics) {
	if sf.url == "" && sf.provider == "" && hasConfig(env.Dir) {
		s, diags := openSession(env, env.Dir, &sf.configFlags)
		if diags.HasErrors() {
			s.close()
			return &serverConn{files: s.files(), close: func() {}}, diags
		}
		p, n, pdiags := s.engine.Provider(ctx, s.engine.DefaultProviderAddr())
		diags = append(diags, pdiags...)
		if pdiags.HasErrors() {
			s.close()
			return &serverConn{files: s.files(), close: func() {}}, diags
		}
		return &serverConn{Provider: p, concurrency: n, close: s.close, files: s.files()}, diags
	}
	typ := sf.provider
	if typ == "" {
		typ = "local"
	}
	launcher, err := newProviderLauncher(newLogger())
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot start providers", Detail: err.Error()}}
	}
	inst, pdiags := launcher.Launch(typ)
	if pdiags.HasErrors() {
		return nil, pluginDiags(pdiags)
	}
	cfg := map[string]any{}
	if sf.url != "" {
		cfg["url"] = sf.url
	}
	raw, _ := json.Marshal(cfg)
	res, pdiags := inst.Configure(ctx, plugins.ConfigureRequest{ConfigJSON: raw, ClientVersion: version})
	if pdiags.HasErrors() {
		inst.Close()
		return nil, pluginDiags(pdiags)
	}
	return &serverConn{Provider: inst, concurrency: max(res.Concurrency, 1), close: inst.Close}, pluginDiags(pdiags)
}

func hasConfig(dir string) bool {
	matches, _ := filepath.Glob(filepath.Join(dir, "*.comfy.hcl"))
	return len(matches) > 0
}

// pluginDiags converts provider diagnostics that concern no HCL block.
func pluginDiags(in plugins.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range in {
		sev := hcl.DiagError
		if d.Severity == plugins.SeverityWarning {
			sev = hcl.DiagWarning
		}
		out = append(out, &hcl.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail})
	}
	return out
}

// fail prints diagnostics and returns the error exit code; a helper for commands.
func fail(env *Env, diags hcl.Diagnostics, files map[string]*hcl.File) int {
	showDiagnostics(env.Stderr, diags, files, false)
	return exitError
}
