package lang

import (
	"fmt"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

var renderBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{
		{Name: "workflow", Required: true}, {Name: "params"}, {Name: "uploads"}, {Name: "count"},
		{Name: "seed_mode"}, {Name: "sweep"}, {Name: "output_dir"}, {Name: "flat_output"},
		{Name: "provider"}, {Name: "timeout"}, {Name: "previews"}, {Name: "depends_on"},
	},
	Blocks: []hcl.BlockHeaderSchema{{Type: "requires"}},
}

var requiresBlockSchema = &hcl.BodySchema{
	Attributes: []hcl.AttributeSchema{{Name: "vram_gb"}, {Name: "ram_gb"}},
}

// SeedModes are the values of a render's seed_mode.
var SeedModes = []string{"fixed", "increment", "random"}

func (c *Config) addRender(block *hcl.Block) hcl.Diagnostics {
	r := &Render{Name: block.Labels[0], DeclRange: block.DefRange}
	diags := checkName("render", r.Name, block.LabelRanges[0])
	content, d := block.Body.Content(renderBlockSchema)
	diags = append(diags, d...)
	r.Workflow = attrExpr(content, "workflow")
	r.Params = attrExpr(content, "params")
	r.Uploads = attrExpr(content, "uploads")
	r.Count = attrExpr(content, "count")
	r.SeedMode = attrExpr(content, "seed_mode")
	r.Sweep = attrExpr(content, "sweep")
	r.OutputDir = attrExpr(content, "output_dir")
	r.FlatOutput = attrExpr(content, "flat_output")
	r.Timeout = attrExpr(content, "timeout")
	r.Previews = attrExpr(content, "previews")
	if a, ok := content.Attributes["provider"]; ok {
		ref, d := decodeProviderRef(a)
		diags, r.Provider = append(diags, d...), ref
	}
	if a, ok := content.Attributes["depends_on"]; ok {
		deps, d := decodeDependsOn(a)
		diags, r.DependsOn = append(diags, d...), deps
	}
	for _, b := range content.Blocks {
		if r.Requires != nil {
			diags = append(diags, duplicate("requires block", "A requires block", r.Requires.DeclRange, b.DefRange))
			continue
		}
		rc, d := b.Body.Content(requiresBlockSchema)
		diags = append(diags, d...)
		r.Requires = &Requires{VRAMGB: attrExpr(rc, "vram_gb"), RAMGB: attrExpr(rc, "ram_gb"), DeclRange: b.DefRange}
		for _, e := range []hcl.Expression{r.Requires.VRAMGB, r.Requires.RAMGB} {
			if v, ok := constValue(e); ok && (v.Type() != cty.Number || v.IsNull() || v.LessThan(cty.Zero).True()) {
				diags = append(diags, invalidLiteral("memory requirement", "must be a non-negative number of gigabytes", e))
			}
		}
	}
	diags = append(diags, checkRenderLiterals(r)...)
	if prev, ok := c.Renders[r.Name]; ok {
		return append(diags, duplicate("render", "render."+r.Name, prev.DeclRange, r.DeclRange))
	}
	c.Renders[r.Name] = r
	return diags
}

func checkRenderLiterals(r *Render) hcl.Diagnostics {
	var diags hcl.Diagnostics
	if v, ok := constAs(r.Count, cty.Number); ok && !isWholeNumber(v, 1) {
		diags = append(diags, invalidLiteral("count", "must be a whole number of at least 1", r.Count))
	}
	if v, ok := constAs(r.SeedMode, cty.String); ok {
		valid := !v.IsNull()
		if valid {
			valid = false
			for _, m := range SeedModes {
				valid = valid || v.AsString() == m
			}
		}
		if !valid {
			d := invalidLiteral("seed_mode", `must be "fixed", "increment" or "random"`, r.SeedMode)
			if !v.IsNull() {
				d.Detail += didYouMean(v.AsString(), SeedModes)
			}
			diags = append(diags, d)
		}
	}
	if v, ok := constAs(r.Timeout, cty.String); ok && !v.IsNull() {
		if d, err := time.ParseDuration(v.AsString()); err != nil || d <= 0 {
			diags = append(diags, invalidLiteral("timeout", fmt.Sprintf(`must be a positive duration such as "30m" or "1h30m", not %q`, v.AsString()), r.Timeout))
		}
	}
	for _, e := range []struct {
		expr hcl.Expression
		what string
	}{{r.Params, "params"}, {r.Uploads, "uploads"}, {r.Sweep, "sweep"}} {
		if v, ok := constValue(e.expr); ok && !v.IsNull() && !(v.Type().IsObjectType() || v.Type().IsMapType()) {
			diags = append(diags, invalidLiteral(e.what, "must be an object, e.g. { name = value }", e.expr))
		}
	}
	if v, ok := constValue(r.Sweep); ok && !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
		for it := v.ElementIterator(); it.Next(); {
			k, ev := it.Element()
			if !(ev.Type().IsListType() || ev.Type().IsTupleType() || ev.Type().IsSetType()) || ev.IsNull() || ev.LengthInt() == 0 {
				diags = append(diags, invalidLiteral("sweep", fmt.Sprintf("entry %q must be a non-empty list of values to sweep over", k.AsString()), r.Sweep))
			}
		}
	}
	if v, ok := constValue(r.Workflow); ok && !v.IsNull() && v.Type() != cty.String && !v.Type().IsObjectType() && !v.Type().IsMapType() {
		diags = append(diags, invalidLiteral("workflow", "must be a path to a workflow JSON file or an inline object in API shape", r.Workflow))
	}
	return diags
}
