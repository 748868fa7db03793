package workflow

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// JSON renders the schema as indented JSON: {"params": [...]} in name order.
func (s *Schema) JSON() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	type out struct {
		Params []*SchemaParam `json:"params"`
	}
	ps := make([]*SchemaParam, len(s.Params))
	for i, p := range s.Params {
		cp := *p
		cp.Value = toJSONValue(p.Value)
		ps[i] = &cp
	}
	if err := enc.Encode(out{Params: ps}); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WriteTable prints the schema for people: one row per param with its node, type,
// current value and (where known) range or number of choices.
func (s *Schema) WriteTable(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tNODE\tCLASS.INPUT\tTYPE\tVALUE\tALLOWED")
	for _, p := range s.Params {
		fmt.Fprintf(tw, "%s\t%s\t%s.%s\t%s\t%s\t%s\n", p.Name, p.NodeID, p.ClassType, p.Input, p.Type,
			short(describe(p.Value), 48), allowed(p))
	}
	return tw.Flush()
}

func allowed(p *SchemaParam) string {
	switch {
	case p.Type == "COMBO" && len(p.Options) > 0 && len(p.Options) <= 4:
		parts := make([]string, len(p.Options))
		for i, o := range p.Options {
			parts[i] = describe(o)
		}
		return strings.Join(parts, " | ")
	case p.Type == "COMBO":
		return fmt.Sprintf("%d choices", len(p.Options))
	case p.Min != "" || p.Max != "":
		return fmt.Sprintf("%s..%s", orDash(p.Min), orDash(p.Max))
	}
	return ""
}

func orDash(n json.Number) string {
	if n == "" {
		return "-"
	}
	return string(n)
}

func short(s string, n int) string {
	s = strings.ReplaceAll(s, "\n", `\n`)
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
