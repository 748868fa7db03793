package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclparse"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// rawValue is a variable's value before conversion: an expression from a vars file, or
// text from -var, the environment or a prompt.
type rawValue struct {
	expr    hcl.Expression
	text    string
	fromCLI bool
	source  string
	rng     hcl.Range
}

// value evaluates the raw value. Text for a primitive-typed variable is taken literally
// (-var name=hello), and so is text for a variable without a type; for any other type
// it is parsed as an HCL expression (-var 'tags={a="b"}'), as in Terraform.
func (r *rawValue) value(v *Variable) (cty.Value, hcl.Diagnostics) {
	if r.expr != nil {
		return r.expr.Value(nil)
	}
	if v.Type.IsPrimitiveType() || v.TypeExpr == nil {
		return cty.StringVal(r.text), nil
	}
	expr, diags := hclsyntax.ParseExpression([]byte(r.text), r.source, hcl.InitialPos)
	if diags.HasErrors() {
		return cty.DynamicVal, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid value for variable",
			Detail:   fmt.Sprintf("The value for var.%s from %s is not a valid HCL expression; complex values use HCL syntax, e.g. [\"a\", \"b\"] or {k = \"v\"}.", v.Name, r.source),
			Subject:  r.rng.Ptr(),
		}}
	}
	val, diags := expr.Value(nil)
	for _, d := range diags {
		d.Subject = r.rng.Ptr()
	}
	return val, diags
}

// collectVariableValues reads every source in precedence order; later entries replace
// earlier ones.
func (c *Config) collectVariableValues(in VariableInputs) (map[string]*rawValue, hcl.Diagnostics) {
	raw := map[string]*rawValue{}
	var diags hcl.Diagnostics
	for _, kv := range in.Env {
		name, val, ok := strings.Cut(kv, "=")
		if !ok || !strings.HasPrefix(name, EnvVarPrefix) {
			continue
		}
		name = strings.TrimPrefix(name, EnvVarPrefix)
		if _, declared := c.Variables[name]; declared { // undeclared ones are ignored, as TF_VAR_ is
			src := "the environment variable " + EnvVarPrefix + name
			raw[name] = &rawValue{text: val, fromCLI: true, source: src, rng: c.Variables[name].DeclRange}
		}
	}
	var files []string
	if _, err := os.Stat(filepath.Join(c.Dir, VarsFileName)); err == nil {
		files = append(files, filepath.Join(c.Dir, VarsFileName))
	}
	if entries, err := os.ReadDir(c.Dir); err == nil {
		var auto []string
		for _, e := range entries {
			if !e.IsDir() && strings.HasSuffix(e.Name(), AutoVarsSuffix) {
				auto = append(auto, filepath.Join(c.Dir, e.Name()))
			}
		}
		sort.Strings(auto)
		files = append(files, auto...)
	}
	for _, f := range files {
		diags = append(diags, c.readVarsFile(f, raw)...)
	}
	for _, a := range in.Args {
		if a.File != "" {
			diags = append(diags, c.readVarsFile(a.File, raw)...)
			continue
		}
		v, declared := c.Variables[a.Name]
		if !declared {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("A -var flag sets %q, but no variable of that name is declared.%s Declare it with a variable block or remove the flag.", a.Name, didYouMean(a.Name, sortedKeys(c.Variables))),
			})
			continue
		}
		raw[a.Name] = &rawValue{text: a.Value, fromCLI: true, source: "-var " + a.Name, rng: v.DeclRange}
	}
	return raw, diags
}

// readVarsFile reads name = value pairs from a vars file. Values must be constants.
func (c *Config) readVarsFile(path string, raw map[string]*rawValue) hcl.Diagnostics {
	src, err := os.ReadFile(path)
	if err != nil {
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read variables file",
			Detail:   fmt.Sprintf("Reading %s: %s.", path, err),
		}}
	}
	f, diags := hclparse.NewParser().ParseHCL(src, path)
	if f == nil {
		return diags
	}
	if c.Files != nil {
		c.Files[path] = f
	}
	attrs, d := f.Body.JustAttributes()
	diags = append(diags, d...)
	for _, name := range sortedAttrNames(attrs) {
		a := attrs[name]
		if _, declared := c.Variables[name]; !declared {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagWarning,
				Summary:  "Value for undeclared variable",
				Detail:   fmt.Sprintf("The file %s sets %q, but no variable of that name is declared, so the value is ignored.%s", path, name, didYouMean(name, sortedKeys(c.Variables))),
				Subject:  a.NameRange.Ptr(),
			})
			continue
		}
		raw[name] = &rawValue{expr: a.Expr, source: path, rng: a.Expr.Range()}
	}
	return diags
}

// ParseVarArg splits the text of a -var flag, "name=value".
func ParseVarArg(s string) (VarArg, hcl.Diagnostics) {
	name, val, ok := strings.Cut(s, "=")
	name = strings.TrimSpace(name)
	if !ok || name == "" {
		return VarArg{}, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Invalid -var option",
			Detail:   "A -var option takes name=value, e.g. -var subject=\"a lighthouse\". (The text given is not repeated here, in case it is a secret.)",
		}}
	}
	return VarArg{Name: name, Value: val}, nil
}
