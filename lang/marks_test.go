package lang

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestMarksPropagation: whatever is derived from a sensitive value is sensitive.
func TestMarksPropagation(t *testing.T) {
	secret := cty.StringVal("s3cr3t-do-not-print").Mark(Sensitive)
	scope := &Scope{BaseDir: t.TempDir(), Variables: map[string]cty.Value{
		"key":  secret,
		"list": cty.ListVal([]cty.Value{cty.StringVal("a"), secret}),
		"obj":  cty.ObjectVal(map[string]cty.Value{"public": cty.StringVal("p"), "private": secret}),
		"n":    cty.NumberIntVal(3),
	}}
	tests := []struct {
		expr      string
		sensitive bool
	}{
		{`var.key`, true},
		{`"Bearer ${var.key}"`, true},
		{`upper(var.key)`, true},
		{`sha256(var.key)`, true},
		{`length(var.key)`, true},
		{`base64encode(var.key)`, true},
		{`jsonencode({ k = var.key })`, true},
		{`{ header = var.key }`, true},
		{`[var.key, "x"]`, true},
		{`var.key == "x" ? 1 : 2`, true},
		{`var.list`, true},
		{`var.list[0]`, false},
		{`var.list[1]`, true},
		{`join(",", var.list)`, true},
		{`var.obj.public`, false},
		{`var.obj.private`, true},
		{`{ for k, v in var.obj : k => v if k == "private" }`, true},
		{`var.n * 2`, false},
		{`sensitive(var.n)`, true},
		{`nonsensitive(var.key)`, false},
		{`try(var.key, "x")`, true},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v, diags := evalString(t, scope, tt.expr)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if got := IsSensitive(v); got != tt.sensitive {
				t.Fatalf("sensitive = %v, want %v", got, tt.sensitive)
			}
			if text := FormatValue(v); tt.sensitive && strings.Contains(text, "s3cr3t") {
				t.Fatalf("FormatValue printed the secret: %s", text)
			}
			raw, _ := Redact(v).UnmarkDeep()
			if tt.sensitive && strings.Contains(FormatValue(raw), "s3cr3t") {
				t.Fatal("Redact kept the secret")
			}
		})
	}
}

func TestEvalKeepsMarksThroughConversion(t *testing.T) {
	scope := &Scope{Variables: map[string]cty.Value{
		"m": cty.ObjectVal(map[string]cty.Value{"a": cty.StringVal("x").Mark(Sensitive), "b": cty.StringVal("y")}),
		"n": cty.StringVal("5").Mark(Sensitive),
	}}
	expr := parseExpr(t, `var.m`)
	v, diags := scope.Eval(expr, cty.Map(cty.String))
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if !v.Type().Equals(cty.Map(cty.String)) || !IsSensitive(v) {
		t.Fatalf("got %#v", v)
	}
	if v.Index(cty.StringVal("b")).IsMarked() {
		t.Error("the non-sensitive element was marked")
	}
	v, diags = scope.Eval(parseExpr(t, `var.n`), cty.Number)
	if diags.HasErrors() || !v.HasMark(Sensitive) {
		t.Fatalf("number conversion lost the mark: %#v %s", v, diags)
	}
}

// TestTypeConversionErrors: Eval's conversion errors name the type and path, never the value.
func TestTypeConversionErrors(t *testing.T) {
	scope := &Scope{Variables: map[string]cty.Value{"key": cty.StringVal("s3cr3t-do-not-print").Mark(Sensitive)}}
	tests := []struct {
		expr string
		want cty.Type
		err  string
	}{
		{`"abc"`, cty.Number, "Expected number: a number is required"},
		{`var.key`, cty.Number, "Expected number: a number is required"},
		{`[1, "a"]`, cty.List(cty.Bool), "element 0: bool required"},
		{`{ a = 1 }`, cty.Object(map[string]cty.Type{"a": cty.Number, "b": cty.String}), `attribute "b" is required`},
		{`{ a = [1] }`, cty.Map(cty.String), `element "a": string required`},
		{`true`, cty.List(cty.String), "list of string required"},
		{`null`, cty.String, ""},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v, diags := scope.Eval(parseExpr(t, tt.expr), tt.want)
			if tt.err == "" {
				if diags.HasErrors() || !v.IsNull() {
					t.Fatalf("got %#v %s", v, diags)
				}
				return
			}
			if !diags.HasErrors() {
				t.Fatalf("no error, got %#v", v)
			}
			d := diags[0]
			if d.Summary != "Incorrect value type" || !strings.Contains(d.Detail, tt.err) {
				t.Fatalf("got %s: %s", d.Summary, d.Detail)
			}
			if strings.Contains(d.Detail, "s3cr3t") {
				t.Fatal("the error prints the secret")
			}
			if v.IsKnown() {
				t.Error("a failed conversion should give an unknown value")
			}
		})
	}
}

func TestFormatValueAndRedact(t *testing.T) {
	v := cty.ObjectVal(map[string]cty.Value{
		"name":    cty.StringVal("hero"),
		"key":     cty.StringVal("s3cr3t").Mark(Sensitive),
		"later":   cty.UnknownVal(cty.String),
		"list":    cty.ListVal([]cty.Value{cty.NumberIntVal(1)}),
		"3.cfg":   cty.NumberFloatVal(6.5),
		"nothing": cty.NullVal(cty.String),
	})
	want := "{\n  \"3.cfg\" = 6.5\n  key = (sensitive value)\n  later = (known after apply)\n  list = [\n    1,\n  ]\n  name = \"hero\"\n  nothing = null\n}"
	if got := FormatValue(v); got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
	r := Redact(v)
	if r.IsMarked() || r.GetAttr("key").AsString() != Redacted || r.GetAttr("name").AsString() != "hero" {
		t.Fatalf("Redact: %#v", r)
	}
	raw, paths := SensitivePaths(v)
	if raw.ContainsMarked() || len(paths) != 1 || !paths[0].Equals(cty.GetAttrPath("key")) {
		t.Fatalf("SensitivePaths: %#v", paths)
	}
	if FormatValue(cty.StringVal("x").Mark(Sensitive)) != Redacted {
		t.Fatal("whole value not redacted")
	}
}
