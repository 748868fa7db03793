package host

import (
	"context"
	"regexp"
	"strconv"
	"strings"
)

var appleChipRE = regexp.MustCompile(`Apple (M\d+)(?: (Pro|Max|Ultra))?`)

// ParseAppleBrand turns `sysctl -n machdep.cpu.brand_string` into a chip name such as
// "M2 Pro"; ok is false for Intel Macs. Under Rosetta the brand is "VirtualApple ...":
// the chip is then unknown but it is still Apple Silicon.
func ParseAppleBrand(brand string) (chip string, ok bool) {
	brand = strings.TrimSpace(brand)
	if m := appleChipRE.FindStringSubmatch(brand); m != nil {
		if m[2] != "" {
			return m[1] + " " + m[2], true
		}
		return m[1], true
	}
	if strings.HasPrefix(brand, "VirtualApple") {
		return "Apple Silicon (model hidden by Rosetta)", true
	}
	if strings.HasPrefix(brand, "Apple") {
		return strings.TrimSpace(strings.TrimPrefix(brand, "Apple")), true
	}
	return "", false
}

// ParseTranslated reads `sysctl -n sysctl.proc_translated`: "1" under Rosetta, "0"
// natively; the key is absent (an error) on Intel Macs.
func ParseTranslated(out string) bool {
	return strings.TrimSpace(out) == "1"
}

// collectApple fills Apple facts on darwin: chip, Rosetta, and memory from hw.memsize
// (ghw knows little of macOS). The GPU shares that memory.
func collectApple(ctx context.Context, f *Facts, t *toolbox) {
	brand, ok := t.run(ctx, "sysctl", "-n", "machdep.cpu.brand_string")
	if !ok {
		return
	}
	if f.CPU.Model == "" {
		f.CPU.Model = strings.TrimSpace(brand)
	}
	if f.MemoryB == 0 {
		if mem, ok := t.run(ctx, "sysctl", "-n", "hw.memsize"); ok {
			f.MemoryB, _ = strconv.ParseInt(strings.TrimSpace(mem), 10, 64)
		}
	}
	chip, apple := ParseAppleBrand(brand)
	if !apple {
		return
	}
	tr, _ := t.run(ctx, "sysctl", "-n", "sysctl.proc_translated")
	f.Apple = &Apple{Chip: chip, Rosetta: ParseTranslated(tr)}
	name := chip + " GPU"
	if !strings.HasPrefix(chip, "Apple") {
		name = "Apple " + name
	}
	f.GPUs = append(f.GPUs, GPU{Index: 0, Vendor: VendorApple, Name: name,
		VRAMTotalB: f.MemoryB, Source: "sysctl", Unified: true})
}
