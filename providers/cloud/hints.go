package cloud

import (
	"errors"
	"strings"

	"github.com/comfyhcl/comfyhcl/plugins"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi"
	"github.com/comfyhcl/comfyhcl/providers/comfyapi/bridge"
)

// runtimeHints are the fixes for Cloud's execution-time error classes
// (execution_error.exception_type), appended to the exception message the user sees.
var runtimeHints = map[string]string{
	"InsufficientFundsError":    "The Comfy account ran out of credits during the job: add credits at https://platform.comfy.org and apply again.",
	"InactiveSubscriptionError": "The Comfy Cloud subscription is inactive: renew it at https://platform.comfy.org.",
	"ModelDownloadError":        "Cloud could not fetch a model the workflow loads: check the model names against `comfyhcl plan` (Cloud's model lists).",
	"ImageDownloadError":        "Cloud could not fetch an input image: upload it again (`comfyhcl upload`) and use the name Cloud returns.",
	"OOMError":                  "The job ran out of GPU memory on Cloud: lower the resolution, batch size or frame count.",
	"ValidationError":           "Cloud rejected the workflow when it started: run `comfyhcl plan` to validate it against /api/object_info.",
	"PanicError":                "Cloud failed internally: retry the apply; report it to Comfy if it persists.",
	"ServiceError":              "Cloud failed internally: retry the apply; report it to Comfy if it persists.",
	"DispatcherError":           "Cloud could not dispatch the job: retry the apply.",
	"WebSocketError":            "Cloud lost its connection to the worker: retry the apply.",
}

// withHint is execError plus the fix for Cloud's error classes.
func withHint(e *comfyapi.ExecutionError) *plugins.ExecutionError {
	pe := bridge.ExecutionError(e)
	if pe == nil {
		return nil
	}
	if hint, ok := runtimeHints[pe.ExceptionType]; ok && !strings.Contains(pe.ExceptionMessage, hint) {
		pe.ExceptionMessage = strings.TrimRight(pe.ExceptionMessage, "\n") + "\n" + hint
	}
	return pe
}

// fetchFail explains a failed output download. A 403 on /api/view comes from the
// signed storage URL (expired, or refused because credentials came along), not from a
// plan without API access.
func (p *Provider) fetchFail(summary string, err error) plugins.Diagnostics {
	var he *comfyapi.HTTPError
	if errors.As(err, &he) && he.Status == 403 && strings.HasPrefix(he.Route, "/api/view") {
		return p.scrub(plugins.Diagnostics{{Severity: plugins.SeverityError, Summary: summary,
			Detail: he.Method + " " + he.Route + " redirected to Cloud's signed storage URL, which answered HTTP 403: the URL may have expired. Run apply again to fetch the outputs with a fresh URL; the render is not repeated."}})
	}
	return p.fail(summary, err)
}
