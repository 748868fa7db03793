package pool

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/comfyhcl/comfyhcl/comfysim"
	"github.com/comfyhcl/comfyhcl/plugins"
)

func TestWeightedTurnGivesSharesByWeight(t *testing.T) {
	a := &member{index: 0, cfg: MemberConfig{URL: "a", Weight: 1}}
	b := &member{index: 1, cfg: MemberConfig{URL: "b", Weight: 2}}
	counts := map[string]int{}
	for turn := 0; turn < 30; turn++ {
		counts[weightedTurn([]*member{a, b}, turn).cfg.URL]++
	}
	if counts["a"] != 10 || counts["b"] != 20 {
		t.Errorf("shares = %v, want a=10 b=20", counts)
	}
}

func TestRoundRobinAlternatesMembers(t *testing.T) {
	a, b := startSim(t, comfysim.Faults{}), startSim(t, comfysim.Faults{})
	p, _ := poolOver(t, map[string]any{"strategy": "round-robin"}, a, b)
	ctx := context.Background()
	for i := 0; i < 4; i++ {
		res, diags := p.Submit(ctx, plugins.SubmitRequest{GraphJSON: graph(t, "sim_base.safetensors", 1)})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		p.Watch(ctx, plugins.WatchRequest{PromptID: res.PromptID}, func(plugins.Event) {})
	}
	if a.Stats().Submits != 2 || b.Stats().Submits != 2 {
		t.Errorf("round-robin submits a=%d b=%d, want 2 and 2", a.Stats().Submits, b.Stats().Submits)
	}
}

func TestIntersectCatalogsBothComboShapes(t *testing.T) {
	one, _ := parseCatalog([]byte(`{
	  "L": {"input": {"required": {"ckpt": [["x", "y", "z"], {}], "mode": ["COMBO", {"options": ["fast", "slow"]}]}, "hidden": {"p": "PROMPT"}}},
	  "OnlyHere": {"input": {}}}`))
	two, _ := parseCatalog([]byte(`{
	  "L": {"input": {"required": {"ckpt": [["z", "x"], {}], "mode": ["COMBO", {"options": ["slow"]}]}}}}`))
	raw, err := intersectCatalogs([]*catalog{one, two})
	if err != nil {
		t.Fatal(err)
	}
	got, _ := parseCatalog(raw)
	if _, ok := got.raw["OnlyHere"]; ok {
		t.Error("a class only one member has is in the intersection")
	}
	ckpt, mode := got.combos["L"]["ckpt"], got.combos["L"]["mode"]
	if len(ckpt) != 2 || ckpt[0] != "x" || ckpt[1] != "z" || len(mode) != 1 || mode[0] != "slow" {
		t.Errorf("ckpt=%v mode=%v", ckpt, mode)
	}
	if s := missingFrom(two, []*catalog{one, two}, 8); s != `node class OnlyHere, "y" (L.ckpt), "fast" (L.mode)` {
		t.Errorf("missingFrom = %s", s)
	}
	var check map[string]any
	if json.Unmarshal(raw, &check) != nil {
		t.Error("intersection is not JSON")
	}
}

func TestLeastQueuePicksTheLowestLoadPerWeight(t *testing.T) {
	cat, _ := parseCatalog([]byte(`{"KSampler": {"input": {}}}`))
	mk := func(i, inflight int, weight float64) *member {
		return &member{index: i, cfg: MemberConfig{URL: fmt.Sprint("http://m", i), Weight: weight}, inflight: inflight, catalog: cat, downCh: make(chan struct{})}
	}
	needs := []need{{class: "KSampler"}}
	for _, c := range []struct {
		members     []*member
		want, after int // the member picked and its in-flight count afterwards
	}{
		{[]*member{mk(0, 3, 1), mk(1, 1, 1), mk(2, 2, 1)}, 1, 2},
		{[]*member{mk(0, 3, 4), mk(1, 1, 1), mk(2, 2, 1)}, 0, 4},
	} {
		p := &Provider{members: c.members, cfg: Config{Strategy: StrategyLeastQueue}}
		got, diags := p.place(context.Background(), needs, nil)
		if diags.HasErrors() || got.index != c.want || got.inflight != c.after {
			t.Errorf("picked %+v (%v), want member %d", got, diags, c.want)
		}
	}
	down := mk(0, 0, 1)
	down.markDown()
	p := &Provider{members: []*member{down, mk(1, 5, 1)}, cfg: Config{Strategy: StrategyLeastQueue}}
	if got, _ := p.place(context.Background(), needs, nil); got == nil || got.index != 1 {
		t.Errorf("a down member was picked: %+v", got)
	}
}
