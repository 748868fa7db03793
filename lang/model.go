package lang

import (
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var modelBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "folder", Required: true}, {Name: "file", Required: true},
		{Name: "source"}, {Name: "sha256"}, {Name: "size"}, {Name: "headers"},
		{Name: "provider"}, {Name: "depends_on"},
	},
}

var sha256Pattern = regexp.MustCompile(`^[0-9a-fA-F]{64}$`)

func (c *Config) addModel(block *hcl.Block) hcl.Diagnostics {
	m := &Model{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("model", m.Name, block.LabelRanges[0])
	content, d := block.Body.Content(modelBlockSchema)
	diags = append(diags, d...)
	m.Folder = attrExpr(content, "folder")
	m.File = attrExpr(content, "file")
	m.Source = attrExpr(content, "source")
	m.SHA256 = attrExpr(content, "sha256")
	m.Size = attrExpr(content, "size")
	m.Headers = attrExpr(content, "headers")
	if a, ok := content.Attributes["provider"]; ok {
		ref, d := decodeProviderRef(a)
		diags, m.Provider = append(diags, d...), ref
	}
	if a, ok := content.Attributes["depends_on"]; ok {
		deps, d := decodeDependsOn(a)
		diags, m.DependsOn = append(diags, d...), deps
	}
	diags = append(diags, checkModelLiterals(m)...)
	diags = append(diags, checkModelFolder(m)...)
	if prev, ok := c.Models[m.Name]; ok {
		return append(diags, duplicate("model", "model."+m.Name, prev.DeclRange, m.DeclRange))
	}
	c.Models[m.Name] = m
	return diags
}

// checkModelLiterals checks the literal values validate can judge without a server.
func checkModelLiterals(m *Model) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, e := range []struct {
		expr hcl.Expression
		what string
	}{{m.Folder, "folder"}, {m.File, "file"}} {
		v, ok := constValue(e.expr)
		if !ok {
			continue
		}
		if v.Type() != cty.String || v.IsNull() {
			diags = append(diags, invalidLiteral("model "+e.what, "must be a string", e.expr))
			continue
		}
		s := v.AsString()
		if s == "" || strings.HasPrefix(s, "/") || strings.Contains(s, "\\") || strings.Contains(s, ":") || containsDotDot(s) {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid model " + e.what,
				Detail:   fmt.Sprintf("%q must be a non-empty relative path inside the server's model folders, with / separators and no \"..\".", s),
				Subject:  e.expr.Range().Ptr(),
			})
		}
	}
	if v, ok := constValue(m.SHA256); ok {
		if v.Type() != cty.String || v.IsNull() || !sha256Pattern.MatchString(v.AsString()) {
			diags = append(diags, invalidLiteral("sha256", "must be 64 hexadecimal digits (the SHA-256 of the file)", m.SHA256))
		}
	}
	if v, ok := constValue(m.Size); ok {
		if !isWholeNumber(v, 0) {
			diags = append(diags, invalidLiteral("size", "must be a whole number of bytes", m.Size))
		}
	}
	if v, ok := constValue(m.Source); ok {
		if v.Type() != cty.String || v.IsNull() || !(strings.HasPrefix(v.AsString(), "https://") || strings.HasPrefix(v.AsString(), "http://")) {
			diags = append(diags, invalidLiteral("source", "must be an http:// or https:// URL", m.Source))
		}
	}
	return diags
}

func containsDotDot(p string) bool {
	for _, seg := range strings.Split(path.Clean("/" + p)[1:], "/") {
		if seg == ".." {
			return true
		}
	}
	for _, seg := range strings.Split(p, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}

func invalidLiteral(what, must string, expr hcl.Expression) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid " + what,
		Detail:   fmt.Sprintf("The %s %s.", what, must),
		Subject:  expr.Range().Ptr(),
	}
}

// isWholeNumber reports whether v is a known number, an integer and >= lowest.
func isWholeNumber(v cty.Value, lowest int64) bool {
	if v.Type() != cty.Number || v.IsNull() || !v.IsKnown() {
		return false
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() {
		return false
	}
	i, _ := bf.Int64()
	return i >= lowest
}
