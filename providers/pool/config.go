package pool

import (
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/comfyhcl/comfyhcl/plugins"
)

// Config is the `provider "pool"` block.
type Config struct {
	Members        []MemberConfig `json:"members"`
	Strategy       string         `json:"strategy"`
	Concurrency    int            `json:"concurrency"`
	HealthInterval string         `json:"health_interval"`
}

// MemberConfig is one server of the pool.
type MemberConfig struct {
	URL    string            `json:"url"`
	Token  string            `json:"token"`
	Weight float64           `json:"weight"`
	Labels map[string]string `json:"labels"`
}

// Strategies a pool can place renders with.
const (
	StrategyLeastQueue = "least-queue"
	StrategyRoundRobin = "round-robin"
)

var configSchema = []plugins.AttributeSchema{
	{Name: "members", Type: "any", Required: true, Description: "The servers: a list of { url, token, weight, labels }. url is required; token (sensitive) is a bearer token; weight (default 1) scales a member's share; labels (map of strings) name it in messages (labels.name)."},
	{Name: "strategy", Type: "string", Description: `How renders are placed: "least-queue" (default: the member with the fewest queued jobs per weight) or "round-robin".`},
	{Name: "concurrency", Type: "number", Description: "Renders in flight across the pool (default 2 per member)."},
	{Name: "health_interval", Type: "string", Description: "How often members are checked, as a Go duration (default 500ms); a member that fails two checks in a row is down."},
}

// parseConfig decodes and checks the block; every problem is a diagnostic on the
// attribute it concerns, saying what to write instead.
func parseConfig(raw []byte) (Config, time.Duration, plugins.Diagnostics) {
	var cfg Config
	var diags plugins.Diagnostics
	bad := func(path []string, summary, format string, args ...any) {
		diags = append(diags, plugins.Diagnostic{Severity: plugins.SeverityError, Summary: summary,
			Detail: fmt.Sprintf(format, args...), AttributePath: path})
	}
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &cfg); err != nil {
			bad([]string{"members"}, "Invalid pool configuration", "%v. members is a list of objects: members = [{ url = \"http://gpu1:8188\" }, { url = \"http://gpu2:8188\", weight = 2 }].", err)
			return cfg, 0, diags
		}
	}
	if len(cfg.Members) == 0 {
		bad([]string{"members"}, "A pool needs members", `Add at least one server: members = [{ url = "http://gpu1:8188" }, { url = "http://gpu2:8188" }].`)
	}
	seen := map[string]bool{}
	for i := range cfg.Members {
		m := &cfg.Members[i]
		path := []string{"members", fmt.Sprint(i)}
		u, err := url.Parse(m.URL)
		switch {
		case m.URL == "":
			bad(append(path, "url"), "Pool member without url", "Member %d has no url; write it like url = \"http://gpu1:8188\".", i)
		case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
			bad(append(path, "url"), "Invalid pool member url", "Member %d has url %q; write an http(s) URL like \"http://gpu1:8188\".", i, m.URL)
		case seen[m.URL]:
			bad(append(path, "url"), "Duplicate pool member", "%s is listed twice; list each server once and use weight to give it a larger share.", m.URL)
		}
		seen[m.URL] = true
		if m.Weight == 0 {
			m.Weight = 1
		}
		if m.Weight < 0 {
			bad(append(path, "weight"), "Invalid pool member weight", "Member %d has weight %v; a weight is a positive number (default 1).", i, m.Weight)
		}
	}
	switch cfg.Strategy {
	case "":
		cfg.Strategy = StrategyLeastQueue
	case StrategyLeastQueue, StrategyRoundRobin:
	default:
		bad([]string{"strategy"}, "Unknown pool strategy", "strategy is %q; use \"least-queue\" or \"round-robin\".", cfg.Strategy)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 2 * len(cfg.Members)
	}
	every := 500 * time.Millisecond
	if cfg.HealthInterval != "" {
		d, err := time.ParseDuration(cfg.HealthInterval)
		if err != nil || d <= 0 {
			bad([]string{"health_interval"}, "Invalid health_interval", "%q is not a positive duration; write it like \"500ms\" or \"2s\".", cfg.HealthInterval)
		} else {
			every = d
		}
	}
	return cfg, every, diags
}
