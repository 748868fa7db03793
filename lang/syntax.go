package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// maxSyntaxPasses bounds the re-parsing of parseFile.
const maxSyntaxPasses = 20

// parseFile parses one file and reports every syntax error in it, not only the first.
// hclsyntax stops reporting after its first error (it recovers, but quietly), so after
// each error the top-level block holding it is blanked out (spaces, keeping newlines and
// byte offsets) and the source parsed again, until no new error appears. The returned
// file is the first parse: decoding and snippets use the real source.
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
	last := diags
	for pass := 0; pass < maxSyntaxPasses; pass++ {
		var blanked bool
		for _, d := range last {
			if d.Severity == hcl.DiagError && d.Subject != nil {
				blanked = blankEnclosingBlock(work, d.Subject.Start.Byte) || blanked
			}
		}
		if !blanked {
			break
		}
		_, more := hclsyntax.ParseConfig(work, name, hcl.InitialPos)
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
		last = fresh
	}
	return f, diags
}

func diagKey(d *hcl.Diagnostic) [2]int {
	if d.Subject == nil {
		return [2]int{-1, len(d.Summary)}
	}
	return [2]int{d.Subject.Start.Byte, d.Subject.End.Byte}
}

// blankEnclosingBlock blanks the top-level block or line that contains offset, found by
// a quick scan that tracks braces, brackets, strings and comments from the start of the
// source. It reports whether anything was blanked.
func blankEnclosingBlock(src []byte, offset int) bool {
	if offset < 0 || offset > len(src) {
		return false
	}
	start, end := topLevelItem(src, offset)
	changed := false
	for i := start; i < end && i < len(src); i++ {
		if src[i] != '\n' && src[i] != ' ' {
			src[i] = ' '
			changed = true
		}
	}
	return changed
}

// topLevelItem returns the byte range of the top-level item (a block or an attribute,
// running to the end of its last line) that contains offset.
func topLevelItem(src []byte, offset int) (start, end int) {
	depth, itemStart := 0, 0
	inString, inComment, lineComment := false, false, false
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case lineComment:
			if c == '\n' {
				lineComment = false
				i--
				continue
			}
		case inComment:
			if c == '*' && i+1 < len(src) && src[i+1] == '/' {
				inComment = false
				i++
			}
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' || c == '\n' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '#' || c == '/' && i+1 < len(src) && src[i+1] == '/':
			lineComment = true
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			inComment = true
			i++
		case c == '{' || c == '[' || c == '(':
			depth++
		case c == '}' || c == ']' || c == ')':
			depth = max(depth-1, 0)
		case c == '\n' && depth == 0:
			if i >= offset {
				return itemStart, i
			}
			itemStart = i + 1
		}
	}
	return itemStart, len(src)
}
