package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func rng(file string, l1, c1, b1, l2, c2, b2 int) *hcl.Range {
	return &hcl.Range{Filename: file, Start: hcl.Pos{Line: l1, Column: c1, Byte: b1}, End: hcl.Pos{Line: l2, Column: c2, Byte: b2}}
}

func TestRenderDiagnostics(t *testing.T) {
	src := "locals {\n\ta = 1\n  b = \"x\"\n}\n"
	files := map[string]*hcl.File{"m.comfy.hcl": {Bytes: []byte(src)}}
	diags := hcl.Diagnostics{
		{Severity: hcl.DiagError, Summary: "Tabbed", Detail: "Detail one.", Subject: rng("m.comfy.hcl", 2, 6, 14, 2, 7, 15)},
		{Severity: hcl.DiagWarning, Summary: "Multi-line", Subject: rng("m.comfy.hcl", 3, 3, 17, 4, 2, 27)},
		{Severity: hcl.DiagError, Summary: "No source", Detail: "No snippet.", Subject: rng("other.comfy.hcl", 9, 1, 0, 9, 2, 1)},
		{Severity: hcl.DiagError, Summary: "Out of range", Subject: rng("m.comfy.hcl", 99, 1, 0, 99, 2, 1)},
		{Severity: hcl.DiagError, Summary: "Sourceless", Detail: "Nothing to point at."},
	}
	var b bytes.Buffer
	renderDiagnostics(&b, diags, files, false)
	want := `Error: Tabbed

  on m.comfy.hcl:2:6:
      1 | locals {
      2 | 	a = 1
        | 	    ^

Detail one.

Warning: Multi-line

  on m.comfy.hcl:3:3:
      2 | 	a = 1
      3 |   b = "x"
        |   ^^^^^^^
      4 | }

Error: No source

  on other.comfy.hcl:9:1:

No snippet.

Error: Out of range

  on m.comfy.hcl:99:1:

Error: Sourceless

Nothing to point at.

`
	if b.String() != want {
		t.Errorf("got:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	renderDiagnostics(&b, diags[:1], files, true)
	if !strings.Contains(b.String(), "\x1b[1m\x1b[31mError:\x1b[0m") || !strings.Contains(b.String(), "\x1b[31m^\x1b[0m") {
		t.Errorf("no colour: %q", b.String())
	}
}

func TestDiagnosticsJSON(t *testing.T) {
	b, err := json.Marshal(diagnosticsJSON(nil))
	if err != nil || string(b) != "[]" {
		t.Fatalf("%s %v", b, err)
	}
	d := diagnosticsJSON(hcl.Diagnostics{
		{Severity: hcl.DiagWarning, Summary: "W", Subject: rng("a.hcl", 1, 2, 1, 1, 4, 3)},
		{Severity: hcl.DiagError, Summary: "E", Detail: "D"},
	})
	b, _ = json.Marshal(d)
	want := `[{"severity":"warning","summary":"W","range":{"filename":"a.hcl","start":{"line":1,"column":2,"byte":1},"end":{"line":1,"column":4,"byte":3}}},{"severity":"error","summary":"E","detail":"D"}]`
	if string(b) != want {
		t.Fatalf("got %s", b)
	}
}

func TestSortDiagnostics(t *testing.T) {
	diags := hcl.Diagnostics{
		{Summary: "b2", Subject: rng("b", 2, 1, 10, 2, 2, 11)},
		{Summary: "a", Subject: rng("a", 5, 1, 50, 5, 2, 51)},
		{Summary: "none"},
		{Summary: "b1", Subject: rng("b", 1, 1, 0, 1, 2, 1)},
	}
	sortDiagnostics(diags)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	if strings.Join(got, ",") != "none,a,b1,b2" {
		t.Fatal(got)
	}
}

func TestDiagnosticsJSONWithSource(t *testing.T) {
	src := "locals {\n  a = 1 +\n  b = 2\n}\n"
	files := map[string]*hcl.File{"m.hcl": {Bytes: []byte(src)}}
	d := diagnosticsJSONWithSource(hcl.Diagnostics{
		{Summary: "one line", Subject: rng("m.hcl", 2, 7, 15, 2, 10, 18)},
		{Summary: "two lines", Subject: rng("m.hcl", 2, 3, 11, 3, 4, 22)},
		{Summary: "bad range", Subject: rng("m.hcl", 9, 1, 900, 9, 2, 901)},
		{Summary: "no file", Subject: rng("x.hcl", 1, 1, 0, 1, 2, 1)},
	}, files)
	b, _ := json.Marshal([]*jsonSnippet{d[0].Snippet, d[1].Snippet, d[2].Snippet, d[3].Snippet})
	want := `[{"code":"  a = 1 +","start_line":2,"highlight_start_offset":6,"highlight_end_offset":9},{"code":"  a = 1 +\n  b = 2","start_line":2,"highlight_start_offset":2,"highlight_end_offset":13},null,null]`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
}
