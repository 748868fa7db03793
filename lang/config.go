package lang

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/zclconf/go-cty/cty"
)

// Config is every *.comfy.hcl file of one directory, decoded into typed blocks but not
// evaluated: attribute values stay hcl.Expressions because they may reference each other
// (model.x.file, var.y) and the core evaluates them in dependency order with a Scope.
type Config struct {
	Dir   string
	Files map[string]*hcl.File // by file name, for source snippets in diagnostics

	Settings  *Settings
	Providers map[string]*Provider // by address: "local" or "local.gpu2"
	Variables map[string]*Variable
	Locals    map[string]*Local
	Outputs   map[string]*Output
	Models    map[string]*Model
	Nodes     map[string]*NodePack
	Renders   map[string]*Render
}

// Settings is the `comfyhcl` block.
type Settings struct {
	RequiredVersion   hcl.Expression // nil when absent
	RequiredProviders map[string]*RequiredProvider
	DeclRange         hcl.Range
}

// RequiredProvider is one entry of required_providers: source "acme/pool", version "~> 1.0".
type RequiredProvider struct {
	Name      string
	Source    string
	Version   string // constraint text, "" when absent
	DeclRange hcl.Range
}

// Provider is one `provider "TYPE"` block. Its body is decoded later against the schema
// the provider reports, so a typo in a provider attribute is reported at that attribute.
type Provider struct {
	Type      string
	Alias     string
	Config    hcl.Body // the body minus `alias`
	DeclRange hcl.Range
}

// ProviderRef is a `provider = local.gpu2` reference inside a model, node or render block.
type ProviderRef struct {
	Type  string
	Alias string
	Range hcl.Range
}

// Variable is a `variable` block; Type is the constraint (cty.DynamicPseudoType when absent).
type Variable struct {
	Name        string
	Description string
	Default     hcl.Expression // nil when absent (the variable is then required)
	TypeExpr    hcl.Expression // nil when absent
	Sensitive   bool
	Nullable    bool
	Validations []*Validation
	DeclRange   hcl.Range

	// Type is the decoded constraint (cty.DynamicPseudoType when TypeExpr is nil) and
	// TypeDefaults the defaults of its optional object attributes (nil when none).
	Type         cty.Type
	TypeDefaults *typeexpr.Defaults
}

// Validation is one `validation` block of a variable.
type Validation struct {
	Condition    hcl.Expression
	ErrorMessage hcl.Expression
	DeclRange    hcl.Range
}

// Local is one entry of a `locals` block.
type Local struct {
	Name      string
	Expr      hcl.Expression
	DeclRange hcl.Range
}

// Output is an `output` block.
type Output struct {
	Name        string
	Value       hcl.Expression
	Description string
	Sensitive   bool
	DependsOn   []hcl.Traversal
	DeclRange   hcl.Range
}

// Model is a `model` block: a model file a server must have.
type Model struct {
	Name      string
	Folder    hcl.Expression // required
	File      hcl.Expression // required
	Source    hcl.Expression // nil when absent
	SHA256    hcl.Expression // nil when absent
	Size      hcl.Expression // nil when absent
	Headers   hcl.Expression // nil when absent
	Provider  *ProviderRef   // nil: the default provider
	DependsOn []hcl.Traversal
	DeclRange hcl.Range
}

// NodePack is a `node` block: a custom node pack pinned by registry version or git ref.
type NodePack struct {
	Name      string
	Registry  hcl.Expression // exactly one of Registry and Git is set
	Version   hcl.Expression
	Git       hcl.Expression
	Ref       hcl.Expression
	Provider  *ProviderRef
	DependsOn []hcl.Traversal
	DeclRange hcl.Range
}

// Render is a `render` block: a workflow run, expanded into instances by the core.
type Render struct {
	Name       string
	Workflow   hcl.Expression // path string or inline object in API shape
	Params     hcl.Expression // object; use hcl.ExprMap for per-entry ranges
	Uploads    hcl.Expression
	Count      hcl.Expression
	SeedMode   hcl.Expression
	Sweep      hcl.Expression
	OutputDir  hcl.Expression
	FlatOutput hcl.Expression
	Timeout    hcl.Expression
	Previews   hcl.Expression
	Provider   *ProviderRef
	Requires   *Requires
	DependsOn  []hcl.Traversal
	DeclRange  hcl.Range
}

// Requires is the preflight hint of a render.
type Requires struct {
	VRAMGB    hcl.Expression
	RAMGB     hcl.Expression
	DeclRange hcl.Range
}
