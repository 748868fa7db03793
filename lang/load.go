package lang

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// ConfigSuffix is the suffix of the files LoadDir reads.
const ConfigSuffix = ".comfy.hcl"

// LoadDir parses every *.comfy.hcl file in dir (sorted by name) and decodes all blocks.
// The result is never nil: with errors it holds whatever could be decoded, so callers can
// still render snippets from Files and report everything at once.
func LoadDir(dir string) (*Config, hcl.Diagnostics) {
	cfg := newConfig(dir)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return cfg, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("Reading %s: %s.", dir, err),
		}}
	}
	var names []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ConfigSuffix) && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	if len(names) == 0 {
		return cfg, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail:   fmt.Sprintf("The directory %s contains no *%s files. Run comfyhcl in the directory that holds your configuration, or pass it as an argument.", dir, ConfigSuffix),
		}}
	}
	srcs := make(map[string][]byte, len(names))
	var diags hcl.Diagnostics
	for _, name := range names {
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot read configuration file",
				Detail:   fmt.Sprintf("Reading %s: %s.", path, err),
			})
			continue
		}
		srcs[path] = src
	}
	c, more := LoadSources(dir, srcs)
	return c, append(diags, more...)
}

// LoadSources is LoadDir over in-memory files keyed by file name (used by tests and the
// fuzzer). The names are used as-is in diagnostics.
func LoadSources(dir string, srcs map[string][]byte) (*Config, hcl.Diagnostics) {
	cfg := newConfig(dir)
	names := make([]string, 0, len(srcs))
	for name := range srcs {
		names = append(names, name)
	}
	sort.Strings(names)
	var diags hcl.Diagnostics
	var bodies []hcl.Body
	for _, name := range names {
		f, d := parseFile(srcs[name], name)
		diags = append(diags, d...)
		if f == nil {
			continue
		}
		cfg.Files[name] = f
		if f.Body != nil {
			bodies = append(bodies, f.Body)
		}
	}
	// Version constraints first, like Terraform's sniffing pass: a config written for a
	// newer comfyhcl should say so before a flood of errors about unknown syntax.
	var versionDiags hcl.Diagnostics
	for _, body := range bodies {
		diags = append(diags, cfg.decodeBody(body)...)
	}
	if cfg.Settings != nil {
		versionDiags = checkRequiredVersion(cfg.Settings)
	}
	diags = append(diags, cfg.checkProviderRefs()...)
	return cfg, append(versionDiags, diags...)
}

func newConfig(dir string) *Config {
	return &Config{
		Dir:       dir,
		Files:     map[string]*hcl.File{},
		Providers: map[string]*Provider{},
		Variables: map[string]*Variable{},
		Locals:    map[string]*Local{},
		Outputs:   map[string]*Output{},
		Models:    map[string]*Model{},
		Nodes:     map[string]*NodePack{},
		Renders:   map[string]*Render{},
	}
}

var configFileSchema = &hcl.BodySchema{
	Blocks: []hcl.BlockHeaderSchema{
		{Type: "comfyhcl"},
		{Type: "provider", LabelNames: []string{"type"}},
		{Type: "variable", LabelNames: []string{"name"}},
		{Type: "locals"},
		{Type: "output", LabelNames: []string{"name"}},
		{Type: "model", LabelNames: []string{"name"}},
		{Type: "node", LabelNames: []string{"name"}},
		{Type: "render", LabelNames: []string{"name"}},
		// Listed only to give a specific error instead of "Unsupported block type".
		{Type: "required_providers"},
		{Type: "terraform"},
	},
}

func (c *Config) decodeBody(body hcl.Body) hcl.Diagnostics {
	content, diags := body.Content(configFileSchema)
	if content == nil {
		return diags
	}
	for _, block := range content.Blocks {
		switch block.Type {
		case "comfyhcl":
			diags = append(diags, c.addSettings(block)...)
		case "provider":
			diags = append(diags, c.addProvider(block)...)
		case "variable":
			diags = append(diags, c.addVariable(block)...)
		case "locals":
			diags = append(diags, c.addLocals(block)...)
		case "output":
			diags = append(diags, c.addOutput(block)...)
		case "model":
			diags = append(diags, c.addModel(block)...)
		case "node":
			diags = append(diags, c.addNode(block)...)
		case "render":
			diags = append(diags, c.addRender(block)...)
		case "required_providers":
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Misplaced required_providers block",
				Detail:   "A required_providers block belongs inside the comfyhcl block: comfyhcl { required_providers { ... } }.",
				Subject:  block.DefRange.Ptr(),
			})
		case "terraform":
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unsupported block type",
				Detail:   `Blocks of type "terraform" are not expected here. Did you mean "comfyhcl"?`,
				Subject:  block.DefRange.Ptr(),
			})
		}
	}
	return diags
}
