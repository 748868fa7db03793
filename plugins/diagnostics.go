package plugins

import (
	"fmt"
	"strings"
)

// Severity of a Diagnostic.
type Severity int

const (
	SeverityError Severity = iota + 1
	SeverityWarning
)

// Diagnostic is a problem a provider reports as a value, so that the core can place it
// on the HCL block (and attribute) the operation concerns.
type Diagnostic struct {
	Severity      Severity
	Summary       string
	Detail        string
	AttributePath []string
}

// Diagnostics is a list of Diagnostic.
type Diagnostics []Diagnostic

// HasErrors reports whether any diagnostic is an error.
func (d Diagnostics) HasErrors() bool {
	for _, x := range d {
		if x.Severity == SeverityError {
			return true
		}
	}
	return false
}

// Err returns the errors joined into one error, or nil when there are none. It is for
// callers that cannot carry diagnostics further (logs, tests).
func (d Diagnostics) Err() error {
	var parts []string
	for _, x := range d {
		if x.Severity == SeverityError {
			parts = append(parts, x.String())
		}
	}
	if len(parts) == 0 {
		return nil
	}
	return fmt.Errorf("%s", strings.Join(parts, "; "))
}

func (d Diagnostic) String() string {
	if d.Detail == "" {
		return d.Summary
	}
	return d.Summary + ": " + d.Detail
}

// Errorf builds a single error diagnostic.
func Errorf(summary, detailFormat string, args ...any) Diagnostics {
	return Diagnostics{{Severity: SeverityError, Summary: summary, Detail: fmt.Sprintf(detailFormat, args...)}}
}

// FromError turns a Go error into one error diagnostic with the given summary.
func FromError(summary string, err error) Diagnostics {
	if err == nil {
		return nil
	}
	return Diagnostics{{Severity: SeverityError, Summary: summary, Detail: err.Error()}}
}
