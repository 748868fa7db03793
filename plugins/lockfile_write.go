package plugins

import (
	"os"
	"path/filepath"
	"sort"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

const lockFileHeader = "# This file is maintained by comfyhcl (init, apply). Commit it; do not edit it by hand.\n\n"

// Save writes the lock file atomically (temp file, fsync, rename) with entries sorted,
// so that the same pins always give the same bytes.
func (l *LockFile) Save(path string) error {
	return writeFileAtomic(path, append([]byte(lockFileHeader), l.Bytes()...), 0o644)
}

// Bytes is the canonical HCL of the lock file, without the header comment.
func (l *LockFile) Bytes() []byte {
	f := hclwrite.NewEmptyFile()
	body := f.Body()
	for i, k := range sortedKeys(l.Providers) {
		p := l.Providers[k]
		if i > 0 {
			body.AppendNewline()
		}
		b := body.AppendNewBlock("provider", []string{p.Source}).Body()
		b.SetAttributeValue("version", cty.StringVal(p.Version))
		if p.Constraints != "" {
			b.SetAttributeValue("constraints", cty.StringVal(p.Constraints))
		}
		if len(p.Hashes) > 0 {
			hashes := append([]string(nil), p.Hashes...)
			sort.Strings(hashes)
			vals := make([]cty.Value, len(hashes))
			for i, h := range hashes {
				vals[i] = cty.StringVal(h)
			}
			b.SetAttributeValue("hashes", cty.ListVal(vals))
		}
	}
	for _, k := range sortedKeys(l.Models) {
		m := l.Models[k]
		body.AppendNewline()
		b := body.AppendNewBlock("model", []string{m.Source}).Body()
		b.SetAttributeValue("sha256", cty.StringVal(m.SHA256))
		if m.Size > 0 {
			b.SetAttributeValue("size", cty.NumberIntVal(m.Size))
		}
	}
	for _, k := range sortedKeys(l.Nodes) {
		n := l.Nodes[k]
		body.AppendNewline()
		b := body.AppendNewBlock("node", []string{n.ID}).Body()
		if n.Version != "" {
			b.SetAttributeValue("version", cty.StringVal(n.Version))
		}
		if n.Commit != "" {
			b.SetAttributeValue("commit", cty.StringVal(n.Commit))
		}
	}
	out := hclwrite.Format(f.Bytes())
	for len(out) > 0 && out[0] == '\n' {
		out = out[1:]
	}
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// writeFileAtomic replaces path with data: a crash leaves the old file or the new one,
// never a torn one.
func writeFileAtomic(path string, data []byte, perm os.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(perm); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		_ = d.Sync()
		d.Close()
	}
	return nil
}
