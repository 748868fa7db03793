package preflight

import (
	"fmt"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
)

// Level is a check's outcome.
type Level string

const (
	OK   Level = "ok"
	Warn Level = "warn"
	Fail Level = "fail"
)

// Check is one comparison of a need against what a server or host has.
type Check struct {
	Subject string // "render.hero", "provider local"
	What    string // "VRAM", "RAM", "disk"
	Level   Level
	Need    int64
	Have    int64
	// Source says where the numbers came from, e.g. "requires.vram_gb (main.comfy.hcl:30)
	// vs /system_stats of http://127.0.0.1:8188".
	Source string
	Detail string
}

// Server is what a provider's /system_stats said.
type Server struct {
	Provider string
	RAMTotal int64
	// VRAMTotal is the largest GPU's memory; 0 with HasGPU false for CPU-only servers.
	VRAMTotal int64
	HasGPU    bool
}

// Demand is what one render instance needs.
type Demand struct {
	Subject string
	VRAM    int64
	RAM     int64
	Source  string // where the demand comes from
}

// CheckDemand compares one render's demand with its server.
func CheckDemand(s Server, d Demand) []Check {
	var out []Check
	src := d.Source + " vs /system_stats of provider " + s.Provider
	if d.VRAM > 0 {
		c := Check{Subject: d.Subject, What: "VRAM", Need: d.VRAM, Have: s.VRAMTotal, Source: src, Level: OK}
		switch {
		case !s.HasGPU:
			c.Level, c.Detail = Fail, "the server reports no GPU; use a server with one (or Comfy Cloud)"
		case s.VRAMTotal < d.VRAM:
			c.Level, c.Detail = Fail, fmt.Sprintf("needs %s of VRAM, the largest GPU has %s; use a bigger GPU, smaller models, or Comfy Cloud", host.Bytes(d.VRAM), host.Bytes(s.VRAMTotal))
		case float64(s.VRAMTotal) < 1.15*float64(d.VRAM):
			c.Level, c.Detail = Warn, "less than 15% headroom: expect offloading or out-of-memory errors at larger sizes"
		}
		out = append(out, c)
	}
	if d.RAM > 0 {
		c := Check{Subject: d.Subject, What: "RAM", Need: d.RAM, Have: s.RAMTotal, Source: src, Level: OK}
		if s.RAMTotal > 0 && s.RAMTotal < d.RAM {
			c.Level, c.Detail = Fail, fmt.Sprintf("needs %s of RAM, the server has %s", host.Bytes(d.RAM), host.Bytes(s.RAMTotal))
		}
		out = append(out, c)
	}
	return out
}

// CheckDisk compares bytes to download with free space at path.
func CheckDisk(subject, path string, need int64, free func(string) (int64, error)) Check {
	c := Check{Subject: subject, What: "disk", Need: need, Level: OK, Source: "bytes to download vs free space at " + path}
	have, err := free(path)
	if err != nil {
		c.Level, c.Detail = Warn, "cannot measure free space: "+err.Error()
		return c
	}
	c.Have = have
	if have < need {
		c.Level, c.Detail = Fail, fmt.Sprintf("the downloads need %s, %s has %s free", host.Bytes(need), path, host.Bytes(have))
	}
	return c
}
