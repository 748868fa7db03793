package comfyapi

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/hashicorp/go-hclog"
)

// Flavor selects the server dialect: local ComfyUI or Comfy Cloud.
type Flavor int

const (
	FlavorLocal Flavor = iota
	FlavorCloud
)

func (f Flavor) String() string {
	if f == FlavorCloud {
		return "cloud"
	}
	return "local"
}

// Config describes one server. Secrets (APIKey, Token, PartnerKey) are
// never logged.
type Config struct {
	BaseURL string
	Flavor  Flavor
	APIKey  string            // Cloud's X-API-Key (also the WebSocket token)
	Token   string            // optional bearer token (local behind a proxy)
	Headers map[string]string // extra headers, dropped on cross-origin redirects
	// ClientID reuses a client id (e.g. one recorded in state) so a process
	// that re-attaches to its prompts after a restart still receives their
	// events; empty means a fresh uuid. The server drops any older socket
	// with the same id.
	ClientID string
	// PartnerKey goes into extra_data.api_key_comfy_org for partner (API)
	// nodes. It is a separate secret from APIKey.
	PartnerKey string
	Logger     hclog.Logger
	// HTTPClient is optional (transport, timeouts); its redirect policy is
	// wrapped so credentials are stripped before it runs.
	HTTPClient *http.Client
	// QuietInterval is how long Wait trusts a silent socket before asking
	// /history; zero means 3s.
	QuietInterval time.Duration
	// Retries bounds attempts for idempotent requests and downloads; zero
	// means 5.
	Retries int
	// StallTimeout cancels (and resumes) a download whose body stops
	// arriving; zero means 60s.
	StallTimeout time.Duration
}

// Client talks to one ComfyUI server. It is safe for concurrent use; all
// submits and the one WebSocket share ClientID.
type Client struct {
	cfg      Config
	base     *url.URL
	http     *http.Client
	log      hclog.Logger
	clientID string
	hub      *eventHub
	lagTries int // history reads after a terminal event; tests shorten it

	mu         sync.Mutex
	nodeCounts map[string]int // prompt id -> graph size, for percent
}

// New validates cfg and returns a client. It does not touch the network.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		return nil, errors.New("comfyapi: BaseURL is empty")
	}
	base, err := url.Parse(strings.TrimRight(cfg.BaseURL, "/"))
	if err != nil {
		return nil, fmt.Errorf("comfyapi: bad server URL %q: %w", cfg.BaseURL, err)
	}
	if base.Scheme != "http" && base.Scheme != "https" || base.Host == "" {
		return nil, fmt.Errorf("comfyapi: server URL %q must be http(s)://host[:port]", cfg.BaseURL)
	}
	if cfg.Logger == nil {
		cfg.Logger = hclog.NewNullLogger()
	}
	if cfg.QuietInterval <= 0 {
		cfg.QuietInterval = 3 * time.Second
	}
	if cfg.Retries <= 0 {
		cfg.Retries = 5
	}
	if cfg.StallTimeout <= 0 {
		cfg.StallTimeout = time.Minute
	}
	c := &Client{
		cfg:        cfg,
		base:       base,
		log:        cfg.Logger.Named("comfyapi"),
		clientID:   cfg.ClientID,
		nodeCounts: map[string]int{},
		lagTries:   historyLagTries,
	}
	if c.clientID == "" {
		c.clientID = uuid.NewString()
	}
	c.http = redirectSafe(cfg.HTTPClient, c.secretHeaderNames())
	c.hub = newEventHub(c)
	return c, nil
}

// ClientID is the one id this client's WebSocket and submits share.
func (c *Client) ClientID() string { return c.clientID }

// BaseURL is the server URL as configured (no trailing slash).
func (c *Client) BaseURL() string { return c.base.String() }

// Flavor is the server dialect.
func (c *Client) Flavor() Flavor { return c.cfg.Flavor }

// Close stops the WebSocket and releases idle connections.
func (c *Client) Close() error {
	c.hub.close()
	c.http.CloseIdleConnections()
	return nil
}

// authHeaders are set on every request and on the WebSocket dial.
func (c *Client) authHeaders(h http.Header) {
	for k, v := range c.cfg.Headers {
		h.Set(k, v)
	}
	if c.cfg.Token != "" {
		h.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	if c.cfg.APIKey != "" {
		h.Set("X-API-Key", c.cfg.APIKey)
	}
}

// secretHeaderNames are stripped when a redirect leaves the origin.
func (c *Client) secretHeaderNames() []string {
	names := []string{"X-Api-Key", "Authorization", "Cookie", "Proxy-Authorization"}
	for k := range c.cfg.Headers {
		names = append(names, http.CanonicalHeaderKey(k))
	}
	return names
}

func (c *Client) rememberNodeCount(promptID string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nodeCounts[promptID] = n
}

func (c *Client) nodeCount(promptID string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nodeCounts[promptID]
}
