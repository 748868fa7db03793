package plugins

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

var pluginVersionRE = regexp.MustCompile(`Plugin version: (\d+)`)

// startFailure turns a go-plugin start-up error into the one diagnostic the user sees:
// what went wrong in their terms, the fix, the log file and the stderr tail.
func startFailure(cfg LaunchConfig, err error, tail *tailBuffer) Diagnostics {
	msg := err.Error()
	summary := fmt.Sprintf("Provider %q failed during start-up", cfg.Name)
	var detail string
	switch {
	case strings.Contains(msg, "Failed to read any lines from plugin's stdout"),
		strings.Contains(msg, "plugin exited before we could connect"):
		summary = fmt.Sprintf("Provider %q crashed during start-up", cfg.Name)
		detail = "Its process exited before completing the handshake. Its stderr below usually says why; reinstall or upgrade the provider if it is a crash."
	case strings.Contains(msg, "Unrecognized remote plugin message"):
		junk := strings.TrimSpace(strings.TrimPrefix(firstMsgLine(msg), "Unrecognized remote plugin message:"))
		summary = fmt.Sprintf("Provider %q printed junk on stdout during start-up", cfg.Name)
		detail = fmt.Sprintf("Instead of the handshake line it printed %q. A provider must not write to stdout (it carries the handshake): log through the logger plugins.Serve gives it, which goes to stderr. Report this to the provider's author.", junk)
	case strings.Contains(strings.ToLower(msg), "incompatible api version"):
		major := 0
		if m := pluginVersionRE.FindStringSubmatch(msg); m != nil {
			major, _ = strconv.Atoi(m[1])
		}
		version := ""
		if cfg.Cmd != nil {
			version = describeVersion(cfg)
		}
		d := ProtocolMismatch(cfg.Name, version, major)[0]
		summary, detail = d.Summary, d.Detail
	case strings.Contains(msg, "timeout while waiting for plugin to start"):
		summary = fmt.Sprintf("Provider %q did not start", cfg.Name)
		detail = fmt.Sprintf("It did not complete its handshake within %s: it hangs on start (or the machine is very busy). Its process was stopped. Check its log; raise COMFYHCL_PROVIDER_START_TIMEOUT if it is merely slow.", cfg.StartTimeout)
	case cfg.Reattach != nil:
		detail = fmt.Sprintf("%v\nIs the provider still running under the debugger? Unset %s to let comfyhcl start it.", err, ReattachEnv)
	default:
		detail = msg
	}
	detail = fmt.Sprintf("Operation: start-up (handshake) for %s.\n%s", cfg.Block, detail)
	if extra := failureContext(cfg.LogPath, tail); extra != "" {
		detail += "\n" + extra
	}
	return Diagnostics{{Severity: SeverityError, Summary: summary, Detail: detail}}
}

func describeVersion(cfg LaunchConfig) string {
	d, diags := describeBinary(context.Background(), cfg.Name, cfg.Cmd.Path, cfg.Cmd.Env)
	if d.Version == "" && diags.HasErrors() {
		return ""
	}
	return d.Version
}

func firstMsgLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// failureContext is the part of every provider failure that says where to look.
func failureContext(logPath string, tail *tailBuffer) string {
	var parts []string
	if logPath != "" {
		parts = append(parts, "Provider log: "+logPath)
	} else {
		parts = append(parts, "Set COMFYHCL_LOG_PATH=FILE to keep the provider's full log.")
	}
	if lines := tail.Lines(); len(lines) > 0 {
		parts = append(parts, "Last lines of its stderr:\n  "+strings.Join(lines, "\n  "))
	}
	return strings.Join(parts, "\n")
}
