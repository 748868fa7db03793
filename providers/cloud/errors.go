package cloud

import (
	"errors"
	"fmt"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
)

// fail turns an error from Cloud into one diagnostic whose detail says what to do. The
// keys are scrubbed from the text whatever the error carries.
func (p *Provider) fail(summary string, err error) plugins.Diagnostics {
	return p.scrub(plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: summary, Detail: explain(err)}})
}

// explain is the error's text plus the concrete fix for Cloud's status codes.
func explain(err error) string {
	var he *comfyapi.HTTPError
	var ce *comfyapi.ConnError
	var ae *assetError
	switch {
	case errors.As(err, &ae):
		return httpDetail(ae.Status, ae.Code, ae.Message, err.Error())
	case errors.As(err, &he):
		return httpDetail(he.Status, he.Code, he.Message, err.Error())
	case errors.As(err, &ce):
		return err.Error() + "\nCheck the network and `url` in the provider \"cloud\" block; see https://status.comfy.org for outages."
	}
	return err.Error()
}

// httpDetail is shared by the comfyapi client's errors and the assets client's.
func httpDetail(status int, code, message, text string) string {
	switch status {
	case 401:
		return fmt.Sprintf("Comfy Cloud rejected the API key (HTTP 401%s). Check %s (or api_key in the provider \"cloud\" block): the key may be mistyped, revoked or from another account. Create a key at %s.",
			codeSuffix(code), APIKeyEnv, keysURL)
	case 402:
		return "The Comfy account is out of credits (HTTP 402" + codeSuffix(code) + "). Add credits at https://platform.comfy.org, then apply again; finished renders are kept."
	case 403:
		return "Comfy Cloud refused access (HTTP 403" + codeSuffix(code) + "): the plan may not include API access, or the job belongs to another account. Use a key of an account whose plan includes API access (see https://comfy.org/cloud/pricing)." + messageSuffix(message)
	case 429:
		return "Comfy Cloud answered HTTP 429" + codeSuffix(code) + ": too many jobs at once for the tier, or the subscription is inactive. Lower `concurrency` in the provider \"cloud\" block to the tier's limit (Standard 1, Creator 3, Pro 5), and check the subscription is active at https://platform.comfy.org." + messageSuffix(message)
	}
	return text
}

func codeSuffix(code string) string {
	if code == "" {
		return ""
	}
	return ", " + code
}

func messageSuffix(m string) string {
	if m == "" {
		return ""
	}
	return " Cloud said: " + m
}

// scrub removes both keys from every diagnostic's text.
func (p *Provider) scrub(d plugins.Diagnostics) plugins.Diagnostics {
	p.mu.Lock()
	api, partner := p.cfg.APIKey, p.cfg.PartnerKey
	p.mu.Unlock()
	for i := range d {
		d[i].Summary = scrubText(d[i].Summary, api, partner)
		d[i].Detail = scrubText(d[i].Detail, api, partner)
	}
	return d
}

func scrubText(s string, secrets ...string) string {
	for _, k := range secrets {
		if len(k) >= 4 {
			s = strings.ReplaceAll(s, k, "REDACTED")
		}
	}
	return s
}

// attrError is one error diagnostic on an attribute of the block ("" = the block).
func attrError(summary, attr, format string, args ...any) plugins.Diagnostics {
	d := plugins.Diagnostic{Severity: plugins.SeverityError, Summary: summary, Detail: fmt.Sprintf(format, args...)}
	if attr != "" {
		d.AttributePath = []string{attr}
	}
	return plugins.Diagnostics{d}
}
