package main

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Escape codes of the diagnostics view (named apart from the plan view's).
const (
	diagRed    = "\x1b[31m"
	diagYellow = "\x1b[33m"
	diagBold   = "\x1b[1m"
	diagReset  = "\x1b[0m"
)

// renderDiagnostics writes each diagnostic as
//
//	Error: <summary>
//
//	  on main.comfy.hcl:4:3:
//	     3 | model "a" {
//	     4 |   sha    = "abc"
//	       |   ^^^
//
//	<detail>
//
// files supplies the source for snippets (lang.Config.Files); a diagnostic whose file is
// missing is printed without a snippet. Diagnostics never contain values (lang keeps
// sensitive values out of them), and the snippet is the configuration's own text.
func renderDiagnostics(w io.Writer, diags hcl.Diagnostics, files map[string]*hcl.File, color bool) {
	for _, d := range diags {
		renderDiagnostic(w, d, files, color)
	}
}

func renderDiagnostic(w io.Writer, d *hcl.Diagnostic, files map[string]*hcl.File, color bool) {
	label, code := "Error", diagRed
	if d.Severity == hcl.DiagWarning {
		label, code = "Warning", diagYellow
	}
	fmt.Fprintf(w, "%s %s\n", diagPaint(color, diagBold+code, label+":"), diagPaint(color, diagBold, d.Summary))
	if d.Subject != nil {
		r := *d.Subject
		fmt.Fprintf(w, "\n  on %s:%d:%d:\n", r.Filename, r.Start.Line, r.Start.Column)
		if f, ok := files[r.Filename]; ok && f != nil {
			writeSnippet(w, f.Bytes, r, code, color)
		}
	}
	if d.Detail != "" {
		fmt.Fprintf(w, "\n%s\n", d.Detail)
	}
	fmt.Fprintln(w)
}

// writeSnippet prints the line before the range (for context) and the range's lines (at
// most three), underlining the range on its first line.
func writeSnippet(w io.Writer, src []byte, r hcl.Range, code string, color bool) {
	lines := bytes.Split(src, []byte("\n"))
	if r.Start.Line < 1 || r.Start.Line > len(lines) {
		return
	}
	first := max(r.Start.Line-1, 1)
	last := min(max(r.End.Line, r.Start.Line), r.Start.Line+2, len(lines))
	for n := first; n <= last; n++ {
		line := strings.TrimRight(string(lines[n-1]), "\r")
		fmt.Fprintf(w, "  %5d | %s\n", n, line)
		if n != r.Start.Line {
			continue
		}
		start := min(max(r.Start.Column-1, 0), len([]rune(line)))
		end := len([]rune(line))
		if r.End.Line == r.Start.Line {
			end = min(max(r.End.Column-1, start+1), end)
		}
		width := max(end-start, 1)
		// Keep tabs so the carets line up under tab-indented source.
		var pad strings.Builder
		for i, ch := range []rune(line) {
			if i >= start {
				break
			}
			if ch == '\t' {
				pad.WriteRune('\t')
			} else {
				pad.WriteRune(' ')
			}
		}
		fmt.Fprintf(w, "  %5s | %s%s\n", "", pad.String(), diagPaint(color, code, strings.Repeat("^", width)))
	}
}

func diagPaint(color bool, code, s string) string {
	if !color {
		return s
	}
	return code + s + diagReset
}

// jsonDiagnostic is the stable machine form of a diagnostic (validate -json and every
// command's JSON output).
type jsonDiagnostic struct {
	Severity string     `json:"severity"` // "error" or "warning"
	Summary  string     `json:"summary"`
	Detail   string     `json:"detail,omitempty"`
	Range    *jsonRange `json:"range,omitempty"`
	// Snippet is set by diagnosticsJSONWithSource when the file is known.
	Snippet *jsonSnippet `json:"snippet,omitempty"`
}

// jsonSnippet is the source lines of a diagnostic's range, for editors: Code holds the
// lines from StartLine, and the highlight offsets are byte offsets into Code.
type jsonSnippet struct {
	Code                 string `json:"code"`
	StartLine            int    `json:"start_line"`
	HighlightStartOffset int    `json:"highlight_start_offset"`
	HighlightEndOffset   int    `json:"highlight_end_offset"`
}

type jsonRange struct {
	Filename string  `json:"filename"`
	Start    jsonPos `json:"start"`
	End      jsonPos `json:"end"`
}

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
	Byte   int `json:"byte"`
}

// diagnosticsJSON converts diags for encoding/json; never nil, so an empty list encodes
// as [] rather than null.
func diagnosticsJSON(diags hcl.Diagnostics) []jsonDiagnostic {
	out := make([]jsonDiagnostic, 0, len(diags))
	for _, d := range diags {
		jd := jsonDiagnostic{Severity: "error", Summary: d.Summary, Detail: d.Detail}
		if d.Severity == hcl.DiagWarning {
			jd.Severity = "warning"
		}
		if r := d.Subject; r != nil {
			jd.Range = &jsonRange{
				Filename: r.Filename,
				Start:    jsonPos{r.Start.Line, r.Start.Column, r.Start.Byte},
				End:      jsonPos{r.End.Line, r.End.Column, r.End.Byte},
			}
		}
		out = append(out, jd)
	}
	return out
}

// diagnosticsJSONWithSource is diagnosticsJSON plus each diagnostic's source snippet.
func diagnosticsJSONWithSource(diags hcl.Diagnostics, files map[string]*hcl.File) []jsonDiagnostic {
	out := diagnosticsJSON(diags)
	for i, d := range diags {
		if d.Subject == nil {
			continue
		}
		f, ok := files[d.Subject.Filename]
		if !ok || f == nil {
			continue
		}
		out[i].Snippet = snippetOf(f.Bytes, *d.Subject)
	}
	return out
}

// snippetOf cuts the whole lines of r out of src; nil when r does not fit src.
func snippetOf(src []byte, r hcl.Range) *jsonSnippet {
	if r.Start.Byte < 0 || r.End.Byte > len(src) || r.Start.Byte > r.End.Byte {
		return nil
	}
	start := bytes.LastIndexByte(src[:r.Start.Byte], '\n') + 1
	end := len(src)
	if i := bytes.IndexByte(src[r.End.Byte:], '\n'); i >= 0 {
		end = r.End.Byte + i
	}
	if r.End.Byte > r.Start.Byte && r.End.Byte > 0 && src[r.End.Byte-1] == '\n' {
		end = r.End.Byte - 1 // a range ending at a newline stops at its line
	}
	end = max(end, start)
	return &jsonSnippet{
		Code:                 strings.TrimRight(string(src[start:end]), "\r"),
		StartLine:            r.Start.Line,
		HighlightStartOffset: r.Start.Byte - start,
		HighlightEndOffset:   min(r.End.Byte, end) - start,
	}
}

// sortDiagnostics orders diagnostics by file and position (sourceless ones first),
// keeping the relative order of equal positions; errors from one file stay together.
func sortDiagnostics(diags hcl.Diagnostics) {
	sort.SliceStable(diags, func(i, j int) bool {
		a, b := diags[i].Subject, diags[j].Subject
		switch {
		case a == nil || b == nil:
			return a == nil && b != nil
		case a.Filename != b.Filename:
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
}
