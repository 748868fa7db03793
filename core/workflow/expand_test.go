package workflow

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
)

func sd15Schema(t *testing.T) *Schema {
	s, err := ExtractSchema(mustGraph(t, string(testdata(t, "sd15_api.json"))), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func paramMap(ps []Param) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		m[p.Name] = describe(mustNormalize(p.Value))
	}
	return m
}

func TestExpandKeysAndSeeds(t *testing.T) {
	s := sd15Schema(t)
	counter := uint64(0)
	rnd := func() uint64 { counter++; return 1000 + counter }
	cases := []struct {
		name  string
		spec  RenderSpec
		keys  string
		dirs  string
		seeds string // per instance, "|" separated
	}{
		{"single", RenderSpec{Params: []Param{{Name: "seed", Value: 5}}}, "", "", "5"},
		{"count fixed", RenderSpec{Count: 2}, "#0 #1", "0 1", "42|42"},
		{"count increment from workflow seed", RenderSpec{Count: 3, SeedMode: "increment"}, "#0 #1 #2", "0 1 2", "42|43|44"},
		{"increment from param", RenderSpec{Count: 2, SeedMode: "increment", Params: []Param{{Name: "seed", Value: 100}}}, "#0 #1", "0 1", "100|101"},
		{"sweep x count", RenderSpec{Count: 2, Sweep: []SweepAxis{{Name: "steps", Values: []any{20, 30}}, {Name: "cfg", Values: []any{5, 7.5}}}},
			"cfg=5,steps=20,#0 cfg=5,steps=20,#1 cfg=5,steps=30,#0 cfg=5,steps=30,#1 cfg=7.5,steps=20,#0 cfg=7.5,steps=20,#1 cfg=7.5,steps=30,#0 cfg=7.5,steps=30,#1",
			"cfg=5_steps=20_0 cfg=5_steps=20_1 cfg=5_steps=30_0 cfg=5_steps=30_1 cfg=7.5_steps=20_0 cfg=7.5_steps=20_1 cfg=7.5_steps=30_0 cfg=7.5_steps=30_1",
			"42|42|42|42|42|42|42|42"},
		{"string sweep", RenderSpec{Sweep: []SweepAxis{{Name: "sampler_name", Values: []any{"euler", "dpm, 2m"}}}},
			`sampler_name=euler sampler_name="dpm, 2m"`, "sampler_name=euler sampler_name=_dpm__2m_-", "42|42"},
		{"random is recorded and reused", RenderSpec{Count: 2, SeedMode: "random", Rand: rnd,
			Recorded: map[string]map[string]uint64{"#1": {"seed": 77}}}, "#0 #1", "0 1", "1001|77"},
		{"seed = -1 draws", RenderSpec{Rand: rnd, Params: []Param{{Name: "seed", Value: -1}}}, "", "", "1002"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			insts, diags := Expand(c.spec, s)
			if diags.HasErrors() {
				t.Fatal(diags.Error())
			}
			var keys, dirs, seeds []string
			for _, in := range insts {
				keys = append(keys, in.Key)
				dirs = append(dirs, in.Dir)
				seeds = append(seeds, json.Number(itoaU(in.Seeds["seed"])).String())
				if v, ok := paramMap(in.Params)["seed"]; ok && v != itoaU(in.Seeds["seed"]) {
					t.Errorf("param seed %s != seed %d", v, in.Seeds["seed"])
				}
			}
			if got := strings.Join(keys, " "); got != c.keys {
				t.Errorf("keys = %q, want %q", got, c.keys)
			}
			if got := strings.Join(dirs, " "); !strings.HasPrefix(got, strings.TrimSuffix(c.dirs, "-")) {
				t.Errorf("dirs = %q, want %q", got, c.dirs)
			}
			if got := strings.Join(seeds, "|"); got != c.seeds {
				t.Errorf("seeds = %q, want %q", got, c.seeds)
			}
		})
	}
}

func TestExpandStableAndInjectable(t *testing.T) {
	g := mustGraph(t, string(testdata(t, "sd15_api.json")))
	s := sd15Schema(t)
	spec := RenderSpec{Count: 2, SeedMode: "increment", Params: []Param{{Name: "prompt", Value: "x"}},
		Sweep: []SweepAxis{{Name: "cfg", Values: []any{5, 9}}}}
	a, _ := Expand(spec, s)
	b, _ := Expand(spec, s)
	for i := range a {
		if a[i].Key != b[i].Key || a[i].Dir != b[i].Dir {
			t.Fatal("expansion not stable")
		}
		out, diags := Inject(g, a[i].Params, nil)
		if diags.HasErrors() {
			t.Fatal(diags.Error())
		}
		if out["3"].Inputs["seed"] != json.Number(itoaU(42+uint64(a[i].Index))) {
			t.Errorf("%s: seed = %v", a[i].Key, out["3"].Inputs["seed"])
		}
	}
}

func TestExpandClashingSeeds(t *testing.T) {
	g := mustGraph(t, `{
	 "3": {"class_type": "KSampler", "inputs": {"seed": 1}},
	 "4": {"class_type": "KSamplerAdvanced", "inputs": {"noise_seed": 10}}}`)
	s, _ := ExtractSchema(g, nil)
	insts, diags := Expand(RenderSpec{Count: 2, SeedMode: "increment", Params: []Param{{Name: "seed", Value: 100}}}, s)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	out, diags := Inject(g, insts[1].Params, nil)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if out["3"].Inputs["seed"] != json.Number("101") || out["4"].Inputs["noise_seed"] != json.Number("101") {
		t.Errorf("seeds = %v %v", out["3"].Inputs["seed"], out["4"].Inputs["noise_seed"])
	}
}

func TestExpandErrors(t *testing.T) {
	s := sd15Schema(t)
	rng := hcl.Range{Filename: "r.comfy.hcl", Start: hcl.Pos{Line: 4}}
	noSeed, _ := ExtractSchema(mustGraph(t, `{"1": {"class_type": "SaveImage", "inputs": {"filename_prefix": "x"}}}`), nil)
	cases := []struct {
		name   string
		spec   RenderSpec
		schema *Schema
		want   string
	}{
		{"bad mode", RenderSpec{SeedMode: "sometimes", SeedRange: rng}, s, "Invalid seed_mode"},
		{"negative count", RenderSpec{Count: -1}, s, "Invalid count"},
		{"empty sweep", RenderSpec{Sweep: []SweepAxis{{Name: "cfg", Range: rng}}}, s, "Empty sweep"},
		{"no seed", RenderSpec{SeedMode: "random"}, noSeed, "Workflow has no seed"},
		{"bad seed", RenderSpec{Params: []Param{{Name: "seed", Value: -5, Range: rng}}}, s, "Invalid seed"},
	}
	for _, c := range cases {
		_, diags := Expand(c.spec, c.schema)
		if !diags.HasErrors() || diags[0].Summary != c.want {
			t.Errorf("%s: %v", c.name, diags)
		}
	}
}

func itoaU(u uint64) string { return json.Number(strconvU(u)).String() }

func strconvU(u uint64) string {
	b, _ := json.Marshal(u)
	return string(b)
}
