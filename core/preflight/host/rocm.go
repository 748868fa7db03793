package host

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// rocmSMIArgs is the query whose output ParseRocmSMI reads.
var rocmSMIArgs = []string{"--showproductname", "--showmeminfo", "vram", "--json"}

// ParseRocmSMI reads `rocm-smi --showproductname --showmeminfo vram --json`: an object
// keyed "card0", "card1", ... whose values hold "Card series", "Card model", "VRAM Total
// Memory (B)" and "VRAM Total Used Memory (B)" (strings), and sometimes a "system" key
// with "Driver version". Some versions print warnings before the JSON; they are skipped.
func ParseRocmSMI(out []byte) ([]GPU, error) {
	if i := bytes.IndexByte(out, '{'); i > 0 {
		out = out[i:]
	}
	var doc map[string]map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		return nil, fmt.Errorf("rocm-smi output is not the expected JSON: %w", err)
	}
	driver := ""
	if sys, ok := doc["system"]; ok {
		driver = field(sys, "driver version")
	}
	var cards []string
	for k := range doc {
		if strings.HasPrefix(strings.ToLower(k), "card") {
			cards = append(cards, k)
		}
	}
	sort.Slice(cards, func(i, j int) bool { return cardNum(cards[i]) < cardNum(cards[j]) })
	var gpus []GPU
	for _, k := range cards {
		c := doc[k]
		name := field(c, "card series")
		if name == "" || strings.HasPrefix(name, "0x") {
			if m := field(c, "card model"); m != "" && !strings.HasPrefix(m, "0x") {
				name = m
			}
		}
		if name == "" {
			name = "AMD GPU " + k
		}
		total := max(intField(c, "vram total memory (b)"), 0)
		used := intField(c, "vram total used memory (b)")
		g := GPU{Index: cardNum(k), Vendor: VendorAMD, Name: name, VRAMTotalB: total, Driver: driver, Source: "rocm-smi"}
		if total > 0 && used >= 0 && used <= total {
			g.VRAMFreeB = total - used
		}
		gpus = append(gpus, g)
	}
	return gpus, nil
}

func cardNum(k string) int {
	n, err := strconv.Atoi(strings.TrimPrefix(strings.ToLower(k), "card"))
	if err != nil {
		return 1 << 20
	}
	return n
}

// field finds a key case-insensitively and returns it as a trimmed string.
func field(m map[string]any, key string) string {
	for k, v := range m {
		if strings.EqualFold(strings.TrimSpace(k), key) {
			switch x := v.(type) {
			case string:
				return strings.TrimSpace(x)
			case float64:
				return strconv.FormatFloat(x, 'f', -1, 64)
			}
		}
	}
	return ""
}

func intField(m map[string]any, key string) int64 {
	n, err := strconv.ParseInt(field(m, key), 10, 64)
	if err != nil {
		return -1
	}
	return n
}
