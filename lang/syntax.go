package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxSyntaxPasses bounds the re-parsing of parseFile.
const maxSyntaxPasses = 20

// parseFile parses one file and reports every syntax error in it, not only the first.
// hclsyntax stops reporting after its first error (it recovers, but quietly), so after
// each round the top-level block or attribute holding each new error (as the parse itself
// delimited it) is blanked out with spaces, keeping newlines and byte offsets, and the
// source parsed again, until no new error appears. The returned file is the first parse:
// decoding and snippets use the real source.
func parseFile(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
	f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if !diags.HasErrors() {
		return f, diags
	}
	seen := map[[2]int]bool{}
	for _, d := range diags {
		seen[diagKey(d)] = true
	}
	work := append([]byte(nil), src...)
	cur, last := f, diags
	for pass := 0; pass < maxSyntaxPasses && cur != nil; pass++ {
		body, _ := cur.Body.(*hclsyntax.Body)
		blanked := false
		for _, d := range last {
			if d.Severity == hcl.DiagError && d.Subject != nil {
				start, end := enclosingItem(body, work, d.Subject.Start.Byte)
				blanked = blank(work, start, end) || blanked
			}
		}
		if !blanked {
			break
		}
		next, more := hclsyntax.ParseConfig(work, name, hcl.InitialPos)
		var fresh hcl.Diagnostics
		for _, d := range more {
			if k := diagKey(d); !seen[k] {
				seen[k] = true
				fresh = append(fresh, d)
			}
		}
		if len(fresh) == 0 {
			break
		}
		diags = append(diags, fresh...)
		cur, last = next, fresh
	}
	return f, diags
}

func diagKey(d *hcl.Diagnostic) [2]int {
	if d.Subject == nil {
		return [2]int{-1, len(d.Summary)}
	}
	return [2]int{d.Subject.Start.Byte, d.Subject.End.Byte}
}

// enclosingItem is the byte range of the top-level block or attribute of body that holds
// offset, or of offset's line when none does.
func enclosingItem(body *hclsyntax.Body, src []byte, offset int) (int, int) {
	if body != nil {
		for _, b := range body.Blocks {
			if r := b.Range(); r.Start.Byte <= offset && offset <= r.End.Byte {
				return r.Start.Byte, r.End.Byte
			}
		}
		for _, a := range body.Attributes {
			if r := a.SrcRange; r.Start.Byte <= offset && offset <= r.End.Byte {
				return r.Start.Byte, r.End.Byte
			}
		}
	}
	start, end := min(max(offset, 0), len(src)), min(max(offset, 0), len(src))
	for start > 0 && src[start-1] != '\n' {
		start--
	}
	for end < len(src) && src[end] != '\n' {
		end++
	}
	return start, end
}

// blank replaces src[start:end] with spaces, keeping newlines; it reports a change.
func blank(src []byte, start, end int) bool {
	changed := false
	for i := max(start, 0); i < end && i < len(src); i++ {
		if src[i] != '\n' && src[i] != ' ' {
			src[i] = ' '
			changed = true
		}
	}
	return changed
}
