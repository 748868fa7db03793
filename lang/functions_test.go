package lang

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

func evalString(t *testing.T, scope *Scope, src string) (cty.Value, hcl.Diagnostics) {
	t.Helper()
	expr, diags := hclsyntax.ParseExpression([]byte(src), "test.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatalf("parse %s: %s", src, diags)
	}
	return scope.Eval(expr, cty.DynamicPseudoType)
}

func TestFunctions(t *testing.T) {
	t.Setenv("COMFYHCL_TEST_ENV", "from-env")
	abs, _ := filepath.Abs("testdata/funcs")
	scope := &Scope{BaseDir: "testdata/funcs", Variables: map[string]cty.Value{"n": cty.NumberIntVal(3)}}
	tests := []struct {
		expr string
		want string // FormatValue of the result
		err  string // substring of the error detail; want is ignored
	}{
		{expr: `upper("abc")`, want: `"ABC"`},
		{expr: `length("héllo")`, want: `5`},
		{expr: `length([1, 2, 3])`, want: `3`},
		{expr: `length({a = 1})`, want: `1`},
		{expr: `format("%s-%03d", "x", var.n)`, want: `"x-003"`},
		{expr: `join(",", ["a", "b"])`, want: `"a,b"`},
		{expr: `split(",", "a,b")`, want: "[\n  \"a\",\n  \"b\",\n]"},
		{expr: `replace("a-b", "-", "_")`, want: `"a_b"`},
		{expr: `regex_replace("a1b2", "[0-9]", "")`, want: `"ab"`},
		{expr: `regex("^(\\w+)", "hello world")`, want: "[\n  \"hello\",\n]"},
		{expr: `startswith("comfy", "co")`, want: `true`},
		{expr: `endswith("comfy", "co")`, want: `false`},
		{expr: `strcontains("comfy", "mf")`, want: `true`},
		{expr: `trimspace("  x ")`, want: `"x"`},
		{expr: `max(1, 5, 3)`, want: `5`},
		{expr: `sum([1, 2, 3.5])`, want: `6.5`},
		{expr: `sum([])`, err: "empty list"},
		{expr: `alltrue([true, true])`, want: `true`},
		{expr: `anytrue([false, true])`, want: `true`},
		{expr: `one([])`, want: `null`},
		{expr: `one(["x"])`, want: `"x"`},
		{expr: `one(["x", "y"])`, err: "at most one element"},
		{expr: `merge({a = 1}, {b = 2})`, want: "{\n  a = 1\n  b = 2\n}"},
		{expr: `lookup({a = 1}, "b", 7)`, want: `7`},
		{expr: `keys({b = 1, a = 2})`, want: "[\n  \"a\",\n  \"b\",\n]"},
		{expr: `range(3)`, want: "[\n  0,\n  1,\n  2,\n]"},
		{expr: `flatten([[1], [2, 3]])`, want: "[\n  1,\n  2,\n  3,\n]"},
		{expr: `distinct([1, 1, 2])`, want: "[\n  1,\n  2,\n]"},
		{expr: `tostring(5)`, want: `"5"`},
		{expr: `tonumber("5")`, want: `5`},
		{expr: `tonumber("five")`, err: "cannot convert"},
		{expr: `tobool("true")`, want: `true`},
		{expr: `jsonencode({a = [1, true]})`, want: `"{\"a\":[1,true]}"`},
		{expr: `jsondecode("{\"a\": [1, null]}")`, want: "{\n  a = [\n    1,\n    null,\n  ]\n}"},
		{expr: `jsondecode("{")`, err: "EOF"},
		{expr: `yamldecode("a: 1\nb: [x, true]\nc: ~")`, want: "{\n  a = 1\n  b = [\n    \"x\",\n    true,\n  ]\n  c = null\n}"},
		{expr: `yamldecode("a: .nan")`, err: "not a finite number"},
		{expr: `yamldecode("a: [")`, err: "invalid YAML"},
		{expr: `csvdecode("a,b\n1,2\n")`, want: "[\n  {\n    a = \"1\"\n    b = \"2\"\n  },\n]"},
		{expr: `base64encode("hi")`, want: `"aGk="`},
		{expr: `base64decode("aGk=")`, want: `"hi"`},
		{expr: `base64decode("!!")`, err: "not valid base64"},
		{expr: `sha256("abc")`, want: `"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"`},
		{expr: `md5("abc")`, want: `"900150983cd24fb0d6963f7d28e17f72"`},
		{expr: `sha1("abc")`, want: `"a9993e364706816aba3e25717850c26c9cd0d89d"`},
		{expr: `urlencode("a b&c")`, want: `"a+b%26c"`},
		{expr: `formatdate("YYYY-MM-DD", "2024-01-02T03:04:05Z")`, want: `"2024-01-02"`},
		{expr: `timeadd("2024-01-01T00:00:00Z", "1h")`, want: `"2024-01-01T01:00:00Z"`},
		{expr: `can(tonumber("x"))`, want: `false`},
		{expr: `try(tonumber("x"), 9)`, want: `9`},
		{expr: `file("hello.txt")`, want: `"hello\n"`},
		{expr: `file("missing.txt")`, err: "no file exists"},
		{expr: `fileexists("hello.txt")`, want: `true`},
		{expr: `fileexists("missing.txt")`, want: `false`},
		{expr: `filesha256("hello.txt")`, want: `"5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"`},
		{expr: `templatefile("greeting.tmpl", { name = "Ada", tags = ["a", "b"] })`, want: `"Hi Ada! #a #b"`},
		{expr: `templatefile("greeting.tmpl", { name = "Ada" })`, err: "does not contain key \"tags\""},
		{expr: `basename("a/b/c.png")`, want: `"c.png"`},
		{expr: `dirname("a/b/c.png")`, want: `"a/b"`},
		{expr: `abspath("testdata/funcs")`, want: `"` + filepath.ToSlash(abs) + `"`},
		{expr: `env("COMFYHCL_TEST_ENV")`, want: `"from-env"`},
		{expr: `env("COMFYHCL_TEST_UNSET", "dflt")`, want: `"dflt"`},
		{expr: `env("COMFYHCL_TEST_UNSET")`, err: "is not set"},
		{expr: `env("A", "b", "c")`, err: "at most one default"},
		{expr: `nosuch(1)`, err: "no function"},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			v, diags := evalString(t, scope, tt.expr)
			if tt.err != "" {
				if !diags.HasErrors() || !strings.Contains(diags.Error(), tt.err) {
					t.Fatalf("want error containing %q, got %v (%s)", tt.err, diags, FormatValue(v))
				}
				return
			}
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			if got := FormatValue(v); got != tt.want {
				t.Fatalf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestFileFunctionsRefuseNonRegularFiles(t *testing.T) {
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	scope := &Scope{BaseDir: dir}
	for _, e := range []string{`file("sub")`, `filesha256("sub")`, `fileexists("sub")`, `file("/dev/zero")`} {
		if _, diags := evalString(t, scope, e); !diags.HasErrors() {
			t.Errorf("%s: no error", e)
		}
	}
}
