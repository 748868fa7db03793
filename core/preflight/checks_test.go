package preflight

import (
	"errors"
	"testing"
)

func TestCheckDemand(t *testing.T) {
	const gb = 1_000_000_000
	gpu := Server{Provider: "local", RAMTotal: 64 * gb, VRAMTotal: 24 * gb, HasGPU: true}
	cases := []struct {
		name   string
		server Server
		demand Demand
		want   []Level
	}{
		{"fits", gpu, Demand{VRAM: 12 * gb}, []Level{OK}},
		{"tight", gpu, Demand{VRAM: 22 * gb}, []Level{Warn}},
		{"too big", gpu, Demand{VRAM: 40 * gb, RAM: 128 * gb}, []Level{Fail, Fail}},
		{"no gpu", Server{Provider: "cpu", RAMTotal: 8 * gb}, Demand{VRAM: 1 * gb}, []Level{Fail}},
		{"nothing asked", gpu, Demand{}, nil},
	}
	for _, c := range cases {
		got := CheckDemand(c.server, c.demand)
		var levels []Level
		for _, ch := range got {
			levels = append(levels, ch.Level)
			if ch.Level != OK && ch.Detail == "" {
				t.Errorf("%s: a %s check without a detail", c.name, ch.Level)
			}
		}
		if len(levels) != len(c.want) {
			t.Errorf("%s: levels %v, want %v", c.name, levels, c.want)
			continue
		}
		for i := range levels {
			if levels[i] != c.want[i] {
				t.Errorf("%s: levels %v, want %v", c.name, levels, c.want)
			}
		}
	}
}

func TestCheckDisk(t *testing.T) {
	free := func(n int64, err error) func(string) (int64, error) {
		return func(string) (int64, error) { return n, err }
	}
	if c := CheckDisk("p", "/w", 10, free(100, nil)); c.Level != OK {
		t.Errorf("enough space: %+v", c)
	}
	if c := CheckDisk("p", "/w", 100, free(10, nil)); c.Level != Fail || c.Detail == "" {
		t.Errorf("too little space: %+v", c)
	}
	if c := CheckDisk("p", "/w", 100, free(0, errors.New("boom"))); c.Level != Warn {
		t.Errorf("unmeasurable: %+v", c)
	}
}
