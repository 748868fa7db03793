package plugins

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// DescribeArg is the argument that makes a provider binary print its Description as
// JSON and exit, without a handshake. Serve handles it, so every provider answers it.
const DescribeArg = "describe"

// Description is what a provider binary says about itself when run with `describe`:
// enough for `comfyhcl init` and `comfyhcl providers` to check it without serving it.
type Description struct {
	Name         string            `json:"name"`
	Version      string            `json:"version"`
	Protocol     ProtocolVersion   `json:"protocol"`
	Capabilities []string          `json:"capabilities"`
	ConfigSchema []AttributeSchema `json:"config_schema,omitempty"`
}

// ProtocolVersion is a provider protocol version: Major must equal ProtocolMajor, Minor
// may be lower or higher than ProtocolMinor (see the package documentation).
type ProtocolVersion struct {
	Major int `json:"major"`
	Minor int `json:"minor"`
}

func (v ProtocolVersion) String() string { return fmt.Sprintf("%d.%d", v.Major, v.Minor) }

// HostProtocol is the protocol this build of comfyhcl speaks.
var HostProtocol = ProtocolVersion{Major: ProtocolMajor, Minor: ProtocolMinor}

// describeProvider builds a Description from an unconfigured provider's Metadata.
func describeProvider(ctx context.Context, p Provider) (Description, error) {
	md, diags := p.Metadata(ctx)
	if err := diags.Err(); err != nil {
		return Description{}, err
	}
	return Description{Name: md.Name, Version: md.Version,
		Protocol:     ProtocolVersion{Major: ProtocolMajor, Minor: md.ProtocolMinor},
		Capabilities: md.Capabilities, ConfigSchema: md.ConfigSchema}, nil
}

// describeTimeout bounds `describe`: it must not contact any server.
const describeTimeout = 10 * time.Second

// DescribeBinary runs `path describe` and parses its answer. name is the provider's
// name in the configuration, used in the diagnostics. A binary that prints something
// other than the JSON, hangs, fails, or speaks another protocol major yields one
// diagnostic saying so and what to do.
func DescribeBinary(ctx context.Context, name, path string) (Description, Diagnostics) {
	return describeBinary(ctx, name, path, nil)
}

// describeBinary runs describe with env (nil: this process's environment).
func describeBinary(ctx context.Context, name, path string, env []string) (Description, Diagnostics) {
	ctx, cancel := context.WithTimeout(ctx, describeTimeout)
	defer cancel()
	var stdout bytes.Buffer
	stderr := newTailBuffer(10)
	cmd := exec.CommandContext(ctx, path, DescribeArg)
	cmd.Stdout, cmd.Stderr, cmd.Env = &stdout, stderr, env
	cmd.WaitDelay = time.Second
	err := cmd.Run()
	fail := func(what string) (Description, Diagnostics) {
		detail := fmt.Sprintf("Running `%s %s` %s.", path, DescribeArg, what)
		if lines := stderr.Lines(); len(lines) > 0 {
			detail += "\nLast lines of its stderr:\n  " + strings.Join(lines, "\n  ")
		}
		detail += "\nEvery comfyhcl provider answers `describe` with JSON (plugins.Serve does it); check that this binary is a comfyhcl provider built with the plugins package, or remove it."
		return Description{}, Errorf(fmt.Sprintf("Provider %q cannot describe itself", name), "%s", detail)
	}
	switch {
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fail(fmt.Sprintf("did not finish within %s", describeTimeout))
	case err != nil:
		return fail("failed: " + err.Error())
	}
	var d Description
	dec := json.NewDecoder(bytes.NewReader(stdout.Bytes()))
	if err := dec.Decode(&d); err != nil || d.Name == "" {
		return fail("printed something that is not a provider description: " + firstLine(stdout.String()))
	}
	if d.Protocol.Major != ProtocolMajor {
		return d, ProtocolMismatch(name, d.Version, d.Protocol.Major)
	}
	return d, nil
}

// ProtocolMismatch is the diagnostic for a provider of another protocol major, naming
// both versions and the way out.
func ProtocolMismatch(name, providerVersion string, providerMajor int) Diagnostics {
	fix := "Use a release of the provider built for protocol " + fmt.Sprint(ProtocolMajor) + ", or upgrade comfyhcl."
	if providerMajor < ProtocolMajor {
		fix = "Upgrade the provider to a release built for protocol " + fmt.Sprint(ProtocolMajor) + " (or use an older comfyhcl)."
	}
	v := ""
	if providerVersion != "" {
		v = " " + providerVersion
	}
	return Errorf(fmt.Sprintf("Provider %q speaks another protocol version", name),
		"The provider%s speaks provider protocol %d; this comfyhcl speaks protocol %d (%s). %s",
		v, providerMajor, ProtocolMajor, HostProtocol, fix)
}

func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return "(nothing)"
	}
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 120 {
		line = line[:120] + "…"
	}
	return fmt.Sprintf("%q", line)
}
