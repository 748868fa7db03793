package core

import (
	"sort"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// OutputValue is one evaluated `output` block.
type OutputValue struct {
	Name        string
	Description string
	Sensitive   bool
	Value       cty.Value
}

// Outputs evaluates the output blocks against what the state records: render.<name>
// values come from the finished instances' files.
func (e *Engine) Outputs(st *state.State) ([]OutputValue, hcl.Diagnostics) {
	ev, diags := e.evaluate()
	if diags.HasErrors() {
		return nil, diags
	}
	for name := range e.opts.Config.Renders {
		ev.scope.Renders[name] = renderValue(name, st)
	}
	var out []OutputValue
	for _, name := range sortedNames(e.opts.Config.Outputs) {
		o := e.opts.Config.Outputs[name]
		v, d := e.opts.Config.EvalOutput(o, ev.scope)
		diags = append(diags, d...)
		if d.HasErrors() {
			continue
		}
		out = append(out, OutputValue{Name: name, Description: o.Description, Sensitive: o.Sensitive || lang.IsSensitive(v), Value: v})
	}
	return out, diags
}

// renderValue is what `render.<name>` evaluates to once applied.
func renderValue(name string, st *state.State) cty.Value {
	prefix := "render." + name
	files := []cty.Value{}
	instances := map[string]cty.Value{}
	outputDir := ""
	for _, addr := range st.RenderAddresses() {
		if addr != prefix && !strings.HasPrefix(addr, prefix+"[") {
			continue
		}
		ri, _ := st.FindRender(addr)
		outputDir = ri.OutputDir
		var instFiles []cty.Value
		for _, o := range ri.Outputs {
			instFiles = append(instFiles, cty.StringVal(o.Path))
		}
		files = append(files, instFiles...)
		key := strings.TrimSuffix(strings.TrimPrefix(strings.TrimPrefix(addr, prefix), `["`), `"]`)
		instances[key] = cty.ObjectVal(map[string]cty.Value{
			"files": listOrEmpty(instFiles), "prompt_id": cty.StringVal(ri.PromptID), "status": cty.StringVal(ri.Status),
		})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].AsString() < files[j].AsString() })
	inst := cty.EmptyObjectVal
	if len(instances) > 0 {
		inst = cty.ObjectVal(instances)
	}
	return cty.ObjectVal(map[string]cty.Value{
		"name": cty.StringVal(name), "files": listOrEmpty(files), "instances": inst, "output_dir": cty.StringVal(outputDir),
	})
}

func listOrEmpty(vs []cty.Value) cty.Value {
	if len(vs) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	return cty.ListVal(vs)
}
