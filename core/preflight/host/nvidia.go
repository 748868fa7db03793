package host

import (
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
)

// nvidiaSMIArgs is the query whose output ParseNvidiaSMI reads.
var nvidiaSMIArgs = []string{"--query-gpu=name,memory.total,memory.free,driver_version", "--format=csv,noheader,nounits"}

const mib = 1 << 20

// ParseNvidiaSMI reads `nvidia-smi --query-gpu=name,memory.total,memory.free,driver_version
// --format=csv,noheader,nounits`: one line per GPU, memory in MiB. Values such as
// "[N/A]" or "[Not Supported]" (unified-memory boards, some vGPUs) leave the field unknown.
func ParseNvidiaSMI(out []byte) ([]GPU, error) {
	r := csv.NewReader(strings.NewReader(string(out)))
	r.TrimLeadingSpace = true
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("nvidia-smi output is not CSV: %w", err)
	}
	var gpus []GPU
	for i, rec := range recs {
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) < 4 {
			return nil, fmt.Errorf("nvidia-smi line %d has %d fields, want name, memory.total, memory.free, driver_version", i+1, len(rec))
		}
		g := GPU{Index: len(gpus), Vendor: VendorNVIDIA, Name: strings.TrimSpace(rec[0]),
			Driver: naToEmpty(rec[3]), Source: "nvidia-smi"}
		g.VRAMTotalB = mibField(rec[1])
		g.VRAMFreeB = mibField(rec[2])
		gpus = append(gpus, g)
	}
	return gpus, nil
}

func mibField(s string) int64 {
	v, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	if err != nil || v < 0 {
		return 0
	}
	return int64(v * mib)
}

func naToEmpty(s string) string {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "[") || strings.EqualFold(s, "N/A") {
		return ""
	}
	return s
}
