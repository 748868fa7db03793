package cloud

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/hashicorp/go-hclog"
)

// Config is the `provider "cloud"` block.
type Config struct {
	URL         string `json:"url"`
	APIKey      string `json:"api_key"`
	PartnerKey  string `json:"partner_key"`
	Concurrency int    `json:"concurrency"`
	Timeout     string `json:"timeout"`
}

const (
	// DefaultURL is Comfy Cloud.
	DefaultURL = "https://cloud.comfy.org"
	// APIKeyEnv is read when the block sets no api_key.
	APIKeyEnv = "COMFY_CLOUD_API_KEY"
	// keysURL is where users create API keys.
	keysURL = "https://platform.comfy.org/profile/api-keys"
)

// Provider implements plugins.Provider for one Comfy Cloud account.
type Provider struct {
	plugins.UnimplementedProvider
	version string
	log     hclog.Logger

	mu      sync.Mutex
	cfg     Config
	timeout time.Duration
	client  *comfyapi.Client
	assets  *assetClient
	models  modelLists
	// taskPoll is the first wait between asset task polls, guardEvery the interval of
	// Watch's job status check; tests shorten them.
	taskPoll   time.Duration
	guardEvery time.Duration
}

// New returns an unconfigured cloud provider; version is the comfyhcl build version.
func New(version string, log hclog.Logger) *Provider {
	if log == nil {
		log = hclog.NewNullLogger()
	}
	return &Provider{UnimplementedProvider: plugins.UnimplementedProvider{Name: "cloud"}, version: version, log: log,
		taskPoll: time.Second, guardEvery: 15 * time.Second}
}

var configSchema = []plugins.AttributeSchema{
	{Name: "url", Type: "string", Description: "Base URL of Comfy Cloud (default " + DefaultURL + ")."},
	{Name: "api_key", Type: "string", Sensitive: true, Description: "Comfy Cloud API key (X-API-Key); defaults to $" + APIKeyEnv + ". Create one at " + keysURL + "."},
	{Name: "partner_key", Type: "string", Sensitive: true, Description: "Key for partner (API) nodes, sent as extra_data.api_key_comfy_org; a separate secret from api_key."},
	{Name: "concurrency", Type: "number", Description: "Renders run at once: your tier's limit (Standard 1, Creator 3, Pro 5; default 1)."},
	{Name: "timeout", Type: "string", Description: "Longest a render may run, as a Go duration (default 1h)."},
}

// Metadata describes the provider and its configuration schema.
func (p *Provider) Metadata(context.Context) (plugins.Metadata, plugins.Diagnostics) {
	return plugins.Metadata{
		Name: "cloud", Version: p.version, ProtocolMinor: plugins.ProtocolMinor,
		Capabilities: []string{"renders", "models"}, ConfigSchema: configSchema,
	}, nil
}

// Configure reads the provider block and prepares the client without contacting Cloud.
func (p *Provider) Configure(_ context.Context, req plugins.ConfigureRequest) (plugins.ConfigureResult, plugins.Diagnostics) {
	var cfg Config
	if len(req.ConfigJSON) > 0 {
		if err := json.Unmarshal(req.ConfigJSON, &cfg); err != nil {
			return plugins.ConfigureResult{}, plugins.Errorf("Invalid provider configuration",
				"the provider \"cloud\" block does not decode: %s", scrubText(err.Error(), cfg.APIKey, cfg.PartnerKey))
		}
	}
	if cfg.URL == "" {
		cfg.URL = DefaultURL
	}
	cfg.APIKey = strings.TrimSpace(cfg.APIKey)
	if cfg.APIKey == "" {
		cfg.APIKey = strings.TrimSpace(os.Getenv(APIKeyEnv))
	}
	if cfg.APIKey == "" {
		return plugins.ConfigureResult{}, plugins.Diagnostics{{Severity: plugins.SeverityError,
			Summary: "No Comfy Cloud API key", AttributePath: []string{"api_key"},
			Detail: "The cloud provider needs an API key. Create one at " + keysURL +
				" (API access needs a paid plan), then set it in the environment:\n  export " + APIKeyEnv +
				"=...\nor set api_key in the provider \"cloud\" block from a sensitive variable."}}
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
	client, err := comfyapi.New(comfyapi.Config{BaseURL: cfg.URL, Flavor: comfyapi.FlavorCloud,
		APIKey: cfg.APIKey, PartnerKey: cfg.PartnerKey, Logger: p.log})
	if err != nil {
		return plugins.ConfigureResult{}, plugins.Diagnostics{{Severity: plugins.SeverityError,
			Summary: "Invalid Comfy Cloud URL", Detail: err.Error(), AttributePath: []string{"url"}}}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil {
		p.client.Close()
	}
	p.cfg, p.timeout, p.client = cfg, timeout, client
	p.assets = newAssetClient(client.BaseURL(), cfg.APIKey)
	p.models.forget("")
	return plugins.ConfigureResult{Concurrency: cfg.Concurrency}, nil
}

func (p *Provider) conn() (*comfyapi.Client, plugins.Diagnostics) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil {
		return nil, plugins.Errorf("Provider not configured", "the core called the cloud provider before Configure; this is a bug in comfyhcl")
	}
	return p.client, nil
}

func (p *Provider) renderTimeout() time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.timeout
}

// Stop closes the connections.
func (p *Provider) Stop(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.assets != nil {
		p.assets.http.CloseIdleConnections()
	}
	if p.client != nil {
		return p.client.Close()
	}
	return nil
}
