package lang

import (
	"bytes"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
)

// Format returns src in canonical layout (hclwrite's: aligned equals signs, two-space
// indents, normalised spacing) with exactly one trailing newline. Source with syntax
// errors is returned unchanged along with the errors, so fmt never mangles a file it
// cannot parse. Format is idempotent: Format(Format(x)) == Format(x).
func Format(src []byte, filename string) ([]byte, hcl.Diagnostics) {
	_, diags := parseFile(src, filename)
	if diags.HasErrors() {
		return src, diags
	}
	out := hclwrite.Format(src)
	out = bytes.TrimRight(out, " \t\r\n")
	out = bytes.TrimLeft(out, "\n")
	if len(out) == 0 {
		return out, nil
	}
	return append(out, '\n'), nil
}
