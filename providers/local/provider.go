package local

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/hashicorp/go-hclog"
)

// Config is the `provider "local"` block.
type Config struct {
	URL         string            `json:"url"`
	Token       string            `json:"token"`
	Headers     map[string]string `json:"headers"`
	Concurrency int               `json:"concurrency"`
	Timeout     string            `json:"timeout"`
	Workspace   string            `json:"workspace"`
	RegistryURL string            `json:"registry_url"`
}

// DefaultURL is where `comfy launch` and ComfyUI's main.py listen by default.
const DefaultURL = "http://127.0.0.1:8188"

// Provider implements plugins.Provider for one local ComfyUI server.
type Provider struct {
	// Operations this provider does not (yet) offer answer "not supported".
	plugins.UnimplementedProvider
	version string
	log     hclog.Logger

	mu       sync.Mutex
	outcomes map[string]*comfyapi.Outcome // finished prompts, from Watch to Fetch
	cfg      Config
	timeout  time.Duration
	client   *comfyapi.Client
}

// New returns an unconfigured local provider; version is the comfyhcl build version.
func New(version string, log hclog.Logger) *Provider {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Provider{UnimplementedProvider: plugins.UnimplementedProvider{Name: "local"}, version: version, log: log}
}

var configSchema = []plugins.AttributeSchema{
	{Name: "url", Type: "string", Description: "Base URL of the ComfyUI server (default " + DefaultURL + ")."},
	{Name: "token", Type: "string", Sensitive: true, Description: "Bearer token, for a server behind an authenticating proxy."},
	{Name: "headers", Type: "map(string)", Sensitive: true, Description: "Extra HTTP headers sent with every request."},
	{Name: "concurrency", Type: "number", Description: "Renders queued at once (default 1)."},
	{Name: "timeout", Type: "string", Description: "Longest a render may run, as a Go duration (default 1h)."},
	{Name: "workspace", Type: "string", Description: "The ComfyUI directory, which lets comfyhcl install models and node packs."},
	{Name: "registry_url", Type: "string", Description: "Base URL of the Comfy Registry API (default " + DefaultRegistryURL + ")."},
}

// Metadata describes the provider and its configuration schema.
func (p *Provider) Metadata(context.Context) (plugins.Metadata, plugins.Diagnostics) {
	return plugins.Metadata{
		Name: "local", Version: p.version, ProtocolMinor: plugins.ProtocolMinor,
		Capabilities: []string{"renders", "models", "nodes", "uploads", "logs", "queue"}, ConfigSchema: configSchema,
	}, nil
}

// Configure reads the provider block and prepares the client. It does not contact the
// server: validate and plan must work with the configuration alone first.
func (p *Provider) Configure(_ context.Context, req plugins.ConfigureRequest) (plugins.ConfigureResult, plugins.Diagnostics) {
	var cfg Config
	if len(req.ConfigJSON) > 0 {
		if err := json.Unmarshal(req.ConfigJSON, &cfg); err != nil {
			return plugins.ConfigureResult{}, plugins.FromError("Invalid provider configuration", err)
		}
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 1
	}
	timeout := time.Hour
	if cfg.Timeout != "" {
		d, err := time.ParseDuration(cfg.Timeout)
		if err != nil || d <= 0 {
			return plugins.ConfigureResult{}, plugins.Diagnostics{{Severity: plugins.SeverityError,
				Summary: "Invalid timeout", AttributePath: []string{"timeout"},
				Detail: fmt.Sprintf("%q is not a positive duration; write it like \"90s\", \"30m\" or \"2h\".", cfg.Timeout)}}
		}
		timeout = d
	}
	client, err := comfyapi.New(comfyapi.Config{
		BaseURL: cfg.URL, Flavor: comfyapi.FlavorLocal, Token: cfg.Token, Headers: cfg.Headers, Logger: p.log,
	})
	if err != nil {
		return plugins.ConfigureResult{}, plugins.Diagnostics{{Severity: plugins.SeverityError,
			Summary: "Invalid server URL", Detail: err.Error(), AttributePath: []string{"url"}}}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		p.client.Close()
	}
	p.cfg, p.timeout, p.client = cfg, timeout, client
	return plugins.ConfigureResult{Concurrency: cfg.Concurrency}, nil
}

func (p *Provider) conn() (*comfyapi.Client, plugins.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil {
		return nil, plugins.Errorf("Provider not configured", "the core called the local provider before Configure; this is a bug in comfyhcl")
	}
	return p.client, nil
}

// Stop closes the server connections.
func (p *Provider) Stop(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		return p.client.Close()
	}
	return nil
}
