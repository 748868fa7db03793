package lang

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestErrorsNeverPrintSecrets calls every function with sensitive arguments that make it
// fail, and checks that no diagnostic quotes them.
func TestErrorsNeverPrintSecrets(t *testing.T) {
	const secret = "s3cr3t-do-not-print"
	scope := &Scope{BaseDir: t.TempDir(), Variables: map[string]cty.Value{
		"s":    cty.StringVal(secret + "{[: \t!!").Mark(Sensitive),
		"list": cty.ListVal([]cty.Value{cty.StringVal(secret)}).Mark(Sensitive),
		"obj":  cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal(secret).Mark(Sensitive)}),
	}}
	names := make([]string, 0)
	for n := range Functions(scope.BaseDir) {
		names = append(names, n)
	}
	sort.Strings(names)
	var exprs []string
	for _, n := range names {
		exprs = append(exprs,
			fmt.Sprintf("%s(var.s)", n),
			fmt.Sprintf("%s(var.s, var.s)", n),
			fmt.Sprintf("%s(var.list)", n),
			fmt.Sprintf("%s(var.s, 1)", n),
			fmt.Sprintf("%s(1, var.s)", n),
		)
	}
	exprs = append(exprs,
		`var.s + 1`, `var.s.x`, `var.s[0]`, `var.obj.k + 1`, `var.list[5]`, `!var.s`, `var.s ? 1 : 2`,
		`{ (var.s) = 1, (var.s) = 2 }`, `"${var.obj}"`, `[for x in var.s : x]`,
		`templatefile(var.s, {})`, `format("%d", var.s)`, `regex(var.s, "x")`, `tomap(var.s)`,
	)
	for _, e := range exprs {
		_, diags := evalString(t, scope, e)
		for _, d := range diags {
			if strings.Contains(d.Summary+d.Detail, secret) {
				t.Errorf("%s: %s: %s", e, d.Summary, d.Detail)
			}
		}
	}
}
