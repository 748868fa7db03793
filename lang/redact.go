package lang

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Redacted is what is printed in place of a sensitive value.
const Redacted = "(sensitive value)"

// FormatValue renders v in HCL syntax for plans, logs and errors, printing Redacted in
// place of every sensitive part (a sensitive collection is redacted whole) and
// "(known after apply)" for unknown parts. It is the only way lang's callers should turn
// a value that might hold a secret into text.
func FormatValue(v cty.Value) string {
	var b strings.Builder
	formatValue(&b, v, 0)
	return b.String()
}

func formatValue(b *strings.Builder, v cty.Value, indent int) {
	if v.HasMark(Sensitive) {
		b.WriteString(Redacted)
		return
	}
	v, _ = v.Unmark() // other marks do not hide anything
	switch {
	case !v.IsKnown():
		b.WriteString("(known after apply)")
		return
	case v.IsNull():
		b.WriteString("null")
		return
	}
	ty := v.Type()
	pad := strings.Repeat("  ", indent+1)
	switch {
	case ty == cty.String:
		fmt.Fprintf(b, "%q", v.AsString())
	case ty == cty.Number:
		b.WriteString(v.AsBigFloat().Text('f', -1))
	case ty == cty.Bool:
		fmt.Fprint(b, v.True())
	case ty.IsListType() || ty.IsSetType() || ty.IsTupleType():
		if v.LengthInt() == 0 {
			b.WriteString("[]")
			return
		}
		b.WriteString("[\n")
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			b.WriteString(pad)
			formatValue(b, e, indent+1)
			b.WriteString(",\n")
		}
		b.WriteString(strings.Repeat("  ", indent) + "]")
	case ty.IsMapType() || ty.IsObjectType():
		if v.LengthInt() == 0 {
			b.WriteString("{}")
			return
		}
		type kv struct {
			k string
			v cty.Value
		}
		var items []kv
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			items = append(items, kv{k.AsString(), e})
		}
		sort.Slice(items, func(i, j int) bool { return items[i].k < items[j].k })
		b.WriteString("{\n")
		for _, it := range items {
			key := it.k
			if !hclsyntax.ValidIdentifier(key) {
				key = fmt.Sprintf("%q", key)
			}
			fmt.Fprintf(b, "%s%s = ", pad, key)
			formatValue(b, it.v, indent+1)
			b.WriteString("\n")
		}
		b.WriteString(strings.Repeat("  ", indent) + "}")
	default:
		b.WriteString("(value)")
	}
}

// SensitivePaths returns v without marks and the paths inside it that were sensitive, for
// callers that must store or send the value (never the sensitive parts: see Redact).
func SensitivePaths(v cty.Value) (cty.Value, []cty.Path) {
	raw, pvm := v.UnmarkDeepWithPaths()
	var paths []cty.Path
	for _, p := range pvm {
		if _, ok := p.Marks[Sensitive]; ok {
			paths = append(paths, p.Path)
		}
	}
	return raw, paths
}

// Redact returns v with every sensitive part replaced by the string Redacted (a whole
// sensitive value becomes that string), unmarked: safe to serialise into state, logs or a
// graph's metadata. Shapes change where a non-string is redacted, so use it for display
// and metadata, not for values a provider must use.
func Redact(v cty.Value) cty.Value {
	if v.HasMark(Sensitive) {
		return cty.StringVal(Redacted)
	}
	v, _ = v.Unmark()
	if !v.IsKnown() || v.IsNull() {
		return v
	}
	ty := v.Type()
	switch {
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		var elems []cty.Value
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			elems = append(elems, Redact(e))
		}
		if len(elems) == 0 {
			return v
		}
		return cty.TupleVal(elems)
	case ty.IsMapType() || ty.IsObjectType():
		attrs := map[string]cty.Value{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			attrs[k.AsString()] = Redact(e)
		}
		if len(attrs) == 0 {
			return v
		}
		return cty.ObjectVal(attrs)
	}
	return v
}
