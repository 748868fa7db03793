package lang

import (
	"fmt"
	"sort"

	"github.com/hashicorp/hcl/v2"
)

// Reference is one var., local., model., node. or render. reference in an expression.
// Attr is the attribute after the name (model.x.file -> "file"), "" when absent.
type Reference struct {
	Kind  string // "var", "local", "model", "node", "render"
	Name  string
	Attr  string
	Range hcl.Range
}

// Addr is the address of the referenced object: "var.x", "model.y".
func (r Reference) Addr() string { return r.Kind + "." + r.Name }

// ReferenceKinds are the roots an expression may refer to.
var ReferenceKinds = []string{"local", "model", "node", "render", "var"}

// References lists the references of expr in source order. A traversal with an unknown
// root or without a name is a diagnostic.
func References(expr hcl.Expression) ([]Reference, hcl.Diagnostics) {
	if expr == nil {
		return nil, nil
	}
	var refs []Reference
	var diags hcl.Diagnostics
	travs := expr.Variables()
	sort.SliceStable(travs, func(i, j int) bool {
		return travs[i].SourceRange().Start.Byte < travs[j].SourceRange().Start.Byte
	})
	for _, t := range travs {
		ref, ok := referenceFor(t)
		if ok {
			refs = append(refs, ref)
			continue
		}
		diags = append(diags, badReference(t))
	}
	return refs, diags
}

// referenceFor parses one traversal; ok is false when it is not a valid reference.
func referenceFor(t hcl.Traversal) (Reference, bool) {
	root := t.RootName()
	known := false
	for _, k := range ReferenceKinds {
		known = known || k == root
	}
	if !known || len(t) < 2 {
		return Reference{}, false
	}
	name, ok := t[1].(hcl.TraverseAttr)
	if !ok {
		return Reference{}, false
	}
	ref := Reference{Kind: root, Name: name.Name, Range: t[:2].SourceRange()}
	if len(t) > 2 {
		if attr, ok := t[2].(hcl.TraverseAttr); ok && (root == "model" || root == "node" || root == "render") {
			ref.Attr = attr.Name
			ref.Range = t[:3].SourceRange()
		}
	}
	return ref, true
}

func badReference(t hcl.Traversal) *hcl.Diagnostic {
	root := t.RootName()
	for _, k := range ReferenceKinds {
		if k == root {
			return &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid reference",
				Detail:   fmt.Sprintf("A reference to %s needs a name after it, like %s.example.", root, root),
				Subject:  t.SourceRange().Ptr(),
			}
		}
	}
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Invalid reference",
		Detail:   fmt.Sprintf("%q is not something an expression can refer to; references start with var., local., model., node. or render.%s", root, didYouMean(root, ReferenceKinds)),
		Subject:  t.SourceRange().Ptr(),
	}
}
