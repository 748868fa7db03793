package workflow

import (
	"testing"
)

// FuzzLoad: Load never panics, hangs, and a graph it accepts survives a canonical round trip
// and schema extraction. Run with -fuzzminimizetime=2s: the default minimisation of
// each new input (60s) shows up as long 0 execs/sec pauses, not as hangs.
func FuzzLoad(f *testing.F) {
	f.Add(testdata(f, "sd15_api.json"))
	f.Add([]byte(`{"1": {"class_type": "A", "inputs": {"x": ["1", 0]}}}`))
	f.Add([]byte(`{"nodes": [{"id": 1, "type": "KSampler", "widgets_values": [1, "fixed"]}], "links": [[1, 1, 0, 2, 0, "MODEL"]]}`))
	f.Add([]byte(`{"_c": 1, "2": {"class_type": "B", "inputs": {"v": {"__value__": [1, 2]}}, "_meta": {"title": "t"}}}`))
	f.Add([]byte(`[`))
	f.Add(testdata(f, "ui_handmade.json"))
	oi, err := ParseObjectInfo(testdata(f, "object_info_small.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, cat := range []*ObjectInfo{nil, oi} {
			g, _, diags := Load("fuzz.json", data, cat)
			if diags.HasErrors() {
				for _, d := range diags {
					if d.Subject == nil {
						t.Fatalf("diagnostic without a range: %v", d)
					}
				}
				continue
			}
			again, _, diags := Load("again.json", g.CanonicalJSON(), nil)
			if diags.HasErrors() {
				t.Fatalf("canonical JSON does not reload: %v\n%s", diags, g.CanonicalJSON())
			}
			if again.Hash() != g.Hash() {
				t.Fatalf("round trip changed the graph:\n%s\n%s", g.CanonicalJSON(), again.CanonicalJSON())
			}
			_, _ = ExtractSchema(g, cat)
		}
	})
}
