package workflow

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// ImportHCL writes a render block whose workflow is g as an inline HCL object (nodes in
// id order, one attribute per line) and whose params are the schema's friendly params
// with their current values, so that planning it gives g back unchanged.
func ImportHCL(g Graph, s *Schema, name string) []byte {
	f := hclwrite.NewEmptyFile()
	block := f.Body().AppendNewBlock("render", []string{name})
	body := block.Body()
	body.SetAttributeRaw("workflow", graphTokens(g))
	if s != nil && len(s.Params) > 0 {
		body.AppendNewline()
		body.SetAttributeRaw("params", paramTokens(s))
	}
	return hclwrite.Format(f.Bytes())
}

func graphTokens(g Graph) hclwrite.Tokens {
	toks := hclwrite.Tokens{open('{'), nl()}
	for _, id := range g.IDs() {
		n := g[id]
		toks = append(toks, hclwrite.TokensForValue(cty.StringVal(id))...)
		toks = append(toks, eq(), open('{'), nl())
		toks = append(toks, attrLine("class_type", cty.StringVal(n.ClassType))...)
		toks = append(toks, ident("inputs"), eq(), open('{'), nl())
		for _, in := range inputOrder(n, nil) {
			toks = append(toks, attrLine(in, CtyValue(n.Inputs[in]))...)
		}
		toks = append(toks, open('}'), nl())
		if len(n.Meta) > 0 {
			toks = append(toks, attrLine("_meta", CtyValue(n.Meta))...)
		}
		toks = append(toks, open('}'), nl())
	}
	return append(toks, open('}'))
}

func paramTokens(s *Schema) hclwrite.Tokens {
	toks := hclwrite.Tokens{open('{'), nl()}
	for _, p := range s.Params {
		toks = append(toks, attrLine(p.Name, CtyValue(p.Value))...)
	}
	return append(toks, open('}'))
}

// attrLine is `key = value` followed by a newline; keys that are not identifiers are
// quoted.
func attrLine(key string, v cty.Value) hclwrite.Tokens {
	var toks hclwrite.Tokens
	if isIdentifier(key) {
		toks = append(toks, ident(key))
	} else {
		toks = append(toks, hclwrite.TokensForValue(cty.StringVal(key))...)
	}
	toks = append(toks, eq())
	toks = append(toks, hclwrite.TokensForValue(v)...)
	return append(toks, nl())
}

func isIdentifier(s string) bool {
	if s == "" || s == "null" || s == "true" || s == "false" {
		return false
	}
	for i, r := range s {
		letter := r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		if !letter && (i == 0 || !(r >= '0' && r <= '9' || r == '-')) {
			return false
		}
	}
	return true
}

// CtyValue converts a graph value to cty for HCL output: a Link becomes ["id", n], the
// way API JSON writes it; numbers keep every digit.
func CtyValue(v any) cty.Value {
	switch t := v.(type) {
	case nil:
		return cty.NullVal(cty.DynamicPseudoType)
	case string:
		return cty.StringVal(t)
	case bool:
		return cty.BoolVal(t)
	case json.Number:
		n, err := cty.ParseNumberVal(string(t))
		if err != nil {
			return cty.StringVal(string(t))
		}
		return n
	case Link:
		return cty.TupleVal([]cty.Value{cty.StringVal(t.NodeID), cty.NumberIntVal(int64(t.Output))})
	case []any:
		if len(t) == 0 {
			return cty.EmptyTupleVal
		}
		vals := make([]cty.Value, len(t))
		for i, e := range t {
			vals[i] = CtyValue(e)
		}
		return cty.TupleVal(vals)
	case map[string]any:
		if len(t) == 0 {
			return cty.EmptyObjectVal
		}
		m := make(map[string]cty.Value, len(t))
		for k, e := range t {
			m[k] = CtyValue(e)
		}
		return cty.ObjectVal(m)
	default:
		n, err := normalizeValue(v)
		if err != nil {
			return cty.StringVal(fmt.Sprint(v))
		}
		return CtyValue(n)
	}
}

// RenderName derives a render block name from a file name: "My Flux-dev.json" ->
// "my_flux_dev".
func RenderName(filename string) string {
	base := filename
	if i := strings.LastIndexAny(base, `/\`); i >= 0 {
		base = base[i+1:]
	}
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".json"), ".api")
	var b strings.Builder
	for _, r := range strings.ToLower(base) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else if b.Len() > 0 && !strings.HasSuffix(b.String(), "_") {
			b.WriteByte('_')
		}
	}
	name := strings.Trim(b.String(), "_")
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "r_" + name
	}
	return name
}

func open(b byte) *hclwrite.Token {
	typ := map[byte]hclwriteTokenType{'{': tokOBrace, '}': tokCBrace}[b]
	return &hclwrite.Token{Type: typ, Bytes: []byte{b}}
}

func nl() *hclwrite.Token { return &hclwrite.Token{Type: tokNewline, Bytes: []byte("\n")} }
func eq() *hclwrite.Token { return &hclwrite.Token{Type: tokEqual, Bytes: []byte("=")} }
func ident(s string) *hclwrite.Token {
	return &hclwrite.Token{Type: tokIdent, Bytes: []byte(s)}
}

// GoValue converts a cty value (an inline HCL workflow or param value) into the
// graph's JSON-like value model; FromValue and Param.Value accept the result. Unknown
// values are an error; null becomes nil.
func GoValue(v cty.Value) (any, error) {
	if !v.IsKnown() {
		return nil, fmt.Errorf("value is not known yet")
	}
	if v.IsNull() {
		return nil, nil
	}
	v, _ = v.Unmark()
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString(), nil
	case t == cty.Bool:
		return v.True(), nil
	case t == cty.Number:
		return normalizeValue(v.AsBigFloat())
	case t.IsTupleType() || t.IsListType() || t.IsSetType():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			g, err := GoValue(e)
			if err != nil {
				return nil, err
			}
			out = append(out, g)
		}
		return out, nil
	case t.IsObjectType() || t.IsMapType():
		out := map[string]any{}
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			g, err := GoValue(e)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", k.AsString(), err)
			}
			out[k.AsString()] = g
		}
		return out, nil
	}
	return nil, fmt.Errorf("unsupported value of type %s", t.FriendlyName())
}
