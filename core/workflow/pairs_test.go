package workflow

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// diffGraphs lists differences between a converted graph and the expected API graph:
// node ids, class types and inputs (titles are not compared).
func diffGraphs(got, want Graph) []string {
	var out []string
	for _, id := range want.IDs() {
		g, ok := got[id]
		if !ok {
			out = append(out, fmt.Sprintf("node %s (%s) missing", id, want[id].ClassType))
			continue
		}
		w := want[id]
		if g.ClassType != w.ClassType {
			out = append(out, fmt.Sprintf("node %s: class %s, want %s", id, g.ClassType, w.ClassType))
		}
		for _, k := range sortedKeys(w.Inputs) {
			gv, ok := g.Inputs[k]
			if !ok {
				out = append(out, fmt.Sprintf("node %s (%s): input %s missing (want %s)", id, w.ClassType, k, describe(w.Inputs[k])))
				continue
			}
			if valueKeyDeep(gv) != valueKeyDeep(w.Inputs[k]) {
				out = append(out, fmt.Sprintf("node %s (%s): input %s = %s, want %s", id, w.ClassType, k, describe(gv), describe(w.Inputs[k])))
			}
		}
		for _, k := range sortedKeys(g.Inputs) {
			if _, ok := w.Inputs[k]; !ok {
				out = append(out, fmt.Sprintf("node %s (%s): extra input %s = %s", id, w.ClassType, k, describe(g.Inputs[k])))
			}
		}
	}
	for _, id := range got.IDs() {
		if _, ok := want[id]; !ok {
			out = append(out, fmt.Sprintf("extra node %s (%s)", id, got[id].ClassType))
		}
	}
	return out
}

func valueKeyDeep(v any) string {
	return string(Graph{"x": {Inputs: map[string]any{"v": v}}}.marshal(false))
}

func TestPairsConvertToTheirAPIHalf(t *testing.T) {
	dir := filepath.Join(sharedDir(t), "fixtures", "workflows", "pairs")
	oi := realObjectInfo(t)
	matches, _ := filepath.Glob(filepath.Join(dir, "*.ui.json"))
	sort.Strings(matches)
	for _, uiPath := range matches {
		base := strings.TrimSuffix(filepath.Base(uiPath), ".ui.json")
		t.Run(base, func(t *testing.T) {
			uiData, _ := os.ReadFile(uiPath)
			apiData, err := os.ReadFile(filepath.Join(dir, base+".api.json"))
			if err != nil {
				t.Skip("no API half")
			}
			want, _, diags := Load(base+".api.json", apiData, nil)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			got, f, diags := Load(base+".ui.json", uiData, oi)
			if f != FormatUI {
				t.Fatalf("format = %v", f)
			}
			if diags.HasErrors() {
				if reason, ok := knownPairErrors[base]; ok {
					t.Skipf("%s: %v", reason, diags)
				}
				t.Fatal(diags.Error())
			}
			if m, ok := pairIDRemap[base]; ok {
				got = remapIDs(got, m)
			}
			diffs := diffGraphs(got, want)
			var unexplained []string
			for _, d := range diffs {
				if !explained(base, d) {
					unexplained = append(unexplained, d)
				}
			}
			if len(unexplained) > 0 {
				t.Errorf("%d differences:\n  %s", len(unexplained), strings.Join(unexplained, "\n  "))
			}
		})
	}
}

// pairIDRemap: the 2024 frontend that made this pair gave a group node's inner nodes
// their ids from before grouping; current frontends (and comfyhcl) use
// "<instance>:<index>". The remap proves the graphs are otherwise identical.
var pairIDRemap = map[string]map[string]string{
	"stable-cascade__stable_cascade__inpaint_controlnet": {"68:0": "62", "68:1": "66", "68:2": "64", "68:3": "61", "68:5": "60"},
}

func remapIDs(g Graph, m map[string]string) Graph {
	out := Graph{}
	for id, n := range g {
		n = n.Clone()
		for k, v := range n.Inputs {
			if l, ok := v.(Link); ok {
				if to, ok := m[l.NodeID]; ok {
					n.Inputs[k] = Link{NodeID: to, Output: l.Output}
				}
			}
		}
		if to, ok := m[id]; ok {
			id = to
		}
		out[id] = n
	}
	return out
}

// knownPairErrors: pairs whose UI half cannot be converted, and why.
var knownPairErrors = map[string]string{}

// pairExplanations: differences that come from the frontend version that made the pair
// or from ComfyUI changing since, keyed by pair and a substring of the difference.
var pairExplanations = map[string][]string{
	// The frontends that made these pairs also sent their upload-button widget (named
	// "upload" since frontend 1.x, "choose file to upload" before) and SaveWEBM's preview
	// widget. The server ignores these inputs; comfyhcl does not send them.
	"*": {"input upload missing (want \"image\")", "input choose file to upload missing (want \"image\")",
		"input video-preview missing"},
	// EmptyFlux2LatentImage and Flux2Scheduler are newer than the ComfyUI 0.3.64
	// catalogue the test converts with, so only the widgets the node lists as inputs can
	// be named; with a catalogue that has them the values map fully.
	"flux2__flux2_example": {"(EmptyFlux2LatentImage): input batch_size missing", "(Flux2Scheduler): input steps missing"},
}

func explained(pair, diff string) bool {
	for _, s := range append(pairExplanations["*"], pairExplanations[pair]...) {
		if strings.Contains(diff, s) {
			return true
		}
	}
	return false
}
