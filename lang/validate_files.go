package lang

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// checkLocalFiles reports literal workflow and upload paths that do not exist: they are
// local files (relative to the configuration directory), so validate can check them
// without a server. Paths computed from references are checked at plan time.
func (c *Config) checkLocalFiles() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, n := range sortedKeys(c.Renders) {
		r := c.Renders[n]
		if v, ok := constValue(r.Workflow); ok && v.Type() == cty.String && !v.IsNull() {
			diags = append(diags, c.checkFile("workflow", v.AsString(), r.Workflow.Range())...)
		}
		if r.Uploads == nil {
			continue
		}
		pairs, d := hcl.ExprMap(r.Uploads)
		if d.HasErrors() {
			continue // not an object constructor; the type check reports what is wrong
		}
		for _, kv := range pairs {
			if v, ok := constValue(kv.Value); ok && v.Type() == cty.String && !v.IsNull() {
				diags = append(diags, c.checkFile("upload", v.AsString(), kv.Value.Range())...)
			}
		}
	}
	return diags
}

func (c *Config) checkFile(what, path string, rng hcl.Range) hcl.Diagnostics {
	full := resolvePath(c.Dir, path)
	fi, err := os.Stat(full)
	switch {
	case err == nil && fi.Mode().IsRegular():
		return nil
	case err == nil:
		return hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  fmt.Sprintf("Invalid %s file", what),
			Detail:   fmt.Sprintf("%s is not a regular file.", path),
			Subject:  rng.Ptr(),
		}}
	}
	detail := fmt.Sprintf("There is no file at %s (paths are relative to the configuration directory, %s).", path, c.Dir)
	if what == "workflow" {
		if matches, _ := filepath.Glob(filepath.Join(filepath.Dir(full), "*.json")); len(matches) > 0 {
			var names []string
			for _, m := range matches {
				names = append(names, filepath.Base(m))
			}
			detail += didYouMean(filepath.Base(path), names)
		}
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  fmt.Sprintf("Missing %s file", what),
		Detail:   detail,
		Subject:  rng.Ptr(),
	}}
}
