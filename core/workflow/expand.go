package workflow

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/big"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
)

// Seed modes of a render.
const (
	SeedFixed     = "fixed"
	SeedIncrement = "increment"
	SeedRandom    = "random"
)

// MaxRandomSeed bounds drawn seeds (2^50, as the ComfyUI frontend's randomize does), so
// they stay exact in JSON numbers everywhere.
const MaxRandomSeed = 1 << 50

// RenderSpec is what a render block says about its instances.
type RenderSpec struct {
	Params    []Param
	Count     int    // 0 means 1
	SeedMode  string // "" means fixed
	SeedRange hcl.Range
	Sweep     []SweepAxis
	// Recorded holds seeds drawn by an earlier plan: instance key -> seed param -> seed.
	// They are reused so that planning again changes nothing.
	Recorded map[string]map[string]uint64
	// Rand draws a new random seed below MaxRandomSeed; nil uses crypto/rand.
	Rand func() uint64
}

// SweepAxis is one sweep entry: a param and the values it takes.
type SweepAxis struct {
	Name   string
	Values []any
	Range  hcl.Range
}

// Instance is one expanded run of a render.
type Instance struct {
	Key    string  // "" for a lone instance; else e.g. "cfg=5,#0"
	Dir    string  // output sub-folder derived from Key, filesystem-safe and stable
	Index  int     // position in the count (0-based)
	Params []Param // the render's params with sweep values and seeds applied
	// Seeds are the seed values this instance uses, by schema param name; Drawn lists
	// the ones drawn at random (to be recorded in the plan and state).
	Seeds map[string]uint64
	Drawn []string
}

// Expand turns a render into its instances: the cartesian product of the sweep axes
// (in name order) times count. Seeds follow SeedMode: fixed keeps the seed, increment
// adds the instance index, random draws one per instance (and seed = -1 draws too).
// Keys and folders depend only on the spec, so the same config always yields the same
// instances.
func Expand(spec RenderSpec, schema *Schema) ([]Instance, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	count := spec.Count
	if count == 0 {
		count = 1
	}
	if count < 0 {
		return nil, hcl.Diagnostics{rangeDiag(spec.SeedRange, "Invalid count", fmt.Sprintf("count must be at least 1, not %d.", count))}
	}
	mode := spec.SeedMode
	switch mode {
	case "", SeedFixed, SeedIncrement, SeedRandom:
	default:
		return nil, hcl.Diagnostics{rangeDiag(spec.SeedRange, "Invalid seed_mode",
			fmt.Sprintf("seed_mode is %q; use \"fixed\", \"increment\" or \"random\".", mode))}
	}
	axes := append([]SweepAxis(nil), spec.Sweep...)
	sort.SliceStable(axes, func(i, j int) bool { return axes[i].Name < axes[j].Name })
	for _, a := range axes {
		if len(a.Values) == 0 {
			diags = append(diags, rangeDiag(a.Range, "Empty sweep", fmt.Sprintf("sweep %q has no values; give at least one.", a.Name)))
		}
	}
	seeds := seedParams(schema)
	if (mode == SeedIncrement || mode == SeedRandom) && len(seeds) == 0 {
		diags = append(diags, rangeDiag(spec.SeedRange, "Workflow has no seed",
			fmt.Sprintf("seed_mode = %q needs a seed input, but the workflow has none (no KSampler seed, RandomNoise noise_seed or seed primitive).", mode)))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	var out []Instance
	combos := cartesian(axes)
	for _, combo := range combos {
		for i := 0; i < count; i++ {
			inst, d := buildInstance(spec, schema, seeds, axes, combo, i, count, mode)
			diags = append(diags, d...)
			out = append(out, inst)
		}
	}
	return out, diags
}

func cartesian(axes []SweepAxis) [][]int {
	combos := [][]int{{}}
	for _, a := range axes {
		var next [][]int
		for _, c := range combos {
			for i := range a.Values {
				next = append(next, append(append([]int(nil), c...), i))
			}
		}
		combos = next
	}
	return combos
}

func buildInstance(spec RenderSpec, schema *Schema, seeds []*SchemaParam, axes []SweepAxis, combo []int, i, count int, mode string) (Instance, hcl.Diagnostics) {
	var parts []string
	params := append([]Param(nil), spec.Params...)
	for a, vi := range combo {
		v := axes[a].Values[vi]
		parts = append(parts, axes[a].Name+"="+keyValue(v))
		params = setParam(params, Param{Name: axes[a].Name, Value: v, Range: axes[a].Range})
	}
	if count > 1 {
		parts = append(parts, "#"+strconv.Itoa(i))
	}
	inst := Instance{Key: strings.Join(parts, ","), Index: i, Seeds: map[string]uint64{}}
	inst.Dir = dirFor(parts, inst.Key)
	var diags hcl.Diagnostics
	dropBase := map[string]bool{}
	for _, sp := range seeds {
		base, idx, rng, random, err := baseSeed(params, sp, schema)
		given := idx >= 0
		if err != nil {
			diags = append(diags, rangeDiag(rng, "Invalid seed", err.Error()))
			continue
		}
		var seed uint64
		switch {
		case random || mode == SeedRandom:
			if rec, ok := spec.Recorded[inst.Key][sp.Name]; ok {
				seed = rec
			} else {
				seed = drawSeed(spec.Rand)
			}
			inst.Drawn = append(inst.Drawn, sp.Name)
		case mode == SeedIncrement:
			seed = base + uint64(i)
		default:
			seed = base
		}
		inst.Seeds[sp.Name] = seed
		if !given && mode != SeedIncrement && mode != SeedRandom {
			continue
		}
		val := json.Number(strconv.FormatUint(seed, 10))
		if given && params[idx].Name != sp.Base {
			params[idx].Value = val // the param named this seed exactly (or raw)
			continue
		}
		if given {
			dropBase[params[idx].Name] = true // "seed" set every clashing seed_<id>
		}
		params = append(params, Param{Name: sp.Name, Value: val, Range: rng})
	}
	if len(dropBase) > 0 {
		kept := params[:0]
		for _, p := range params {
			if !dropBase[p.Name] {
				kept = append(kept, p)
			}
		}
		params = kept
	}
	inst.Params = params
	return inst, diags
}

// seedParams are the schema's seed inputs (seeds wired to primitives included).
func seedParams(s *Schema) []*SchemaParam {
	if s == nil {
		return nil
	}
	return s.ByKind(KindSeed)
}

// baseSeed finds the seed a param sets for sp (by friendly name, a clashing base name
// such as "seed" meaning all of them, or raw node.input), else the workflow's value.
// idx is the index of that param in params, or -1.
func baseSeed(params []Param, sp *SchemaParam, s *Schema) (uint64, int, hcl.Range, bool, error) {
	for i, p := range params {
		if p.Name != sp.Name && p.Name != sp.NodeID+"."+sp.Input && !(p.Name == sp.Base && len(s.Clashes(sp.Base)) > 0) {
			continue
		}
		f, ok := numberOf(mustNormalize(p.Value))
		if !ok || !f.IsInt() {
			return 0, i, p.Range, false, fmt.Errorf("%s must be a whole number (or -1 for a random seed), not %s", p.Name, describe(p.Value))
		}
		if f.Sign() < 0 {
			if f.Cmp(big.NewFloat(-1)) == 0 {
				return 0, i, p.Range, true, nil
			}
			return 0, i, p.Range, false, fmt.Errorf("%s is negative; use -1 for a random seed", p.Name)
		}
		u, _ := f.Uint64()
		return u, i, p.Range, false, nil
	}
	if f, ok := numberOf(sp.Value); ok && f.Sign() >= 0 {
		u, _ := f.Uint64()
		return u, -1, hcl.Range{}, false, nil
	}
	return 0, -1, hcl.Range{}, false, nil
}

func mustNormalize(v any) any {
	n, err := normalizeValue(v)
	if err != nil {
		return v
	}
	return n
}

// setParam replaces the param of the same name, or appends it.
func setParam(params []Param, p Param) []Param {
	for i := range params {
		if params[i].Name == p.Name {
			if p.Range.Filename == "" {
				p.Range = params[i].Range
			}
			params[i] = p
			return params
		}
	}
	return append(params, p)
}

func drawSeed(r func() uint64) uint64 {
	if r != nil {
		return r() % MaxRandomSeed
	}
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic("workflow: crypto/rand: " + err.Error())
	}
	return binary.LittleEndian.Uint64(b[:]) % MaxRandomSeed
}

func rangeDiag(r hcl.Range, summary, detail string) *hcl.Diagnostic {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
	if r.Filename != "" {
		rr := r
		d.Subject = &rr
	}
	return d
}
