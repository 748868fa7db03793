package core

import (
	"testing"

	"github.com/comfyhcl/comfyhcl/plugins"

	"github.com/google/go-cmp/cmp"
)

func TestTargetsKeepDependencies(t *testing.T) {
	changes := []*Change{
		{Address: "model.a", Action: ActionCreate, Model: &ModelChange{Name: "a"}},
		{Address: "model.b", Action: ActionCreate, Model: &ModelChange{Name: "b"}},
		{Address: `render.hero["#0"]`, Action: ActionCreate, DependsOn: []string{"model.a"}},
		{Address: `render.hero["#1"]`, Action: ActionCreate, DependsOn: []string{"model.a"}},
		{Address: "render.other", Action: ActionCreate, DependsOn: []string{"model.b"}},
	}
	cases := []struct {
		targets []string
		want    []string
		err     bool
	}{
		{nil, []string{"model.a", "model.b", `render.hero["#0"]`, `render.hero["#1"]`, "render.other"}, false},
		{[]string{"render.hero"}, []string{"model.a", `render.hero["#0"]`, `render.hero["#1"]`}, false},
		{[]string{`render.hero["#1"]`}, []string{"model.a", `render.hero["#1"]`}, false},
		{[]string{"model.b"}, []string{"model.b"}, false},
		{[]string{"render.nope"}, nil, true},
	}
	for _, c := range cases {
		got, diags := applyTargets(changes, c.targets)
		if diags.HasErrors() != c.err {
			t.Errorf("%v: diags %v", c.targets, diags)
			continue
		}
		var addrs []string
		for _, ch := range got {
			addrs = append(addrs, ch.Address)
		}
		if d := cmp.Diff(c.want, addrs); d != "" {
			t.Errorf("%v: %s", c.targets, d)
		}
	}
}

func TestReplaceForcesUpToDateItems(t *testing.T) {
	changes := []*Change{
		{Address: `render.hero["#0"]`, Action: ActionNoOp, Instance: &RenderInstance{}},
		{Address: "render.other", Action: ActionNoOp, Instance: &RenderInstance{}},
	}
	if diags := applyReplace(changes, []string{"render.hero"}); diags.HasErrors() {
		t.Fatal(diags)
	}
	if changes[0].Action != ActionReplace || changes[1].Action != ActionNoOp {
		t.Errorf("actions after -replace=render.hero: %s, %s", changes[0].Action, changes[1].Action)
	}
	if diags := applyReplace(changes, []string{"render.nope"}); !diags.HasErrors() {
		t.Error("an unknown -replace address must be an error")
	}
}

func TestPinModelFromLock(t *testing.T) {
	lock := plugins.NewLockFile()
	lock.SetModel(plugins.LockedModel{Source: "http://x/m.safetensors", SHA256: "aaa", Size: 3})
	m := &modelValue{Name: "m", Source: "http://x/m.safetensors"}
	if diags := pinModel(lock, m); diags.HasErrors() || m.SHA256 != "aaa" || m.Size != 3 {
		t.Errorf("unpinned model takes the lock's hash: %+v %v", m, diags)
	}
	bad := &modelValue{Name: "m", Source: "http://x/m.safetensors", SHA256: "bbb"}
	if diags := pinModel(lock, bad); !diags.HasErrors() {
		t.Error("a declared sha256 that disagrees with the lock must be an error")
	}
}
