package cloud

import (
	"strings"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

// TestWatchEndsOnUnknownJobAndBadKey: a job Cloud does not know, or a key Cloud
// rejects, ends Watch with a diagnostic instead of polling until the timeout.
func TestWatchEndsOnUnknownJobAndBadKey(t *testing.T) {
	sim := startCloudSim(t, comfysim.Options{})
	p, _ := serve(t, sim.URL(), nil)
	ctx := testCtx(t)
	d := p.Watch(ctx, plugins.WatchRequest{PromptID: "no-such-job"}, func(plugins.Event) {})
	if !d.HasErrors() || !strings.Contains(d.Err().Error(), "does not know job no-such-job") {
		t.Errorf("unknown job: %v", d)
	}
	bad, _ := serve(t, sim.URL(), map[string]any{"api_key": "sk-revoked-key-1234"})
	d = bad.Watch(ctx, plugins.WatchRequest{PromptID: "no-such-job"}, func(plugins.Event) {})
	if !d.HasErrors() || !strings.Contains(d.Err().Error(), "COMFY_CLOUD_API_KEY") {
		t.Errorf("bad key: %v", d)
	}
	assertNoSecret(t, "diagnostic", d.Err().Error(), "sk-revoked-key-1234")
}
