package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/comfyhcl/comfyhcl/core/preflight/host"
	"github.com/comfyhcl/comfyhcl/providers/local/launch"
)

func init() {
	registerCommand(command{Name: "hardware", Synopsis: "local hardware report and whether to render locally or in the cloud", Run: runHardware})
}

// hardwareOptions says where host facts come from; tests replay recorded hosts.
var hardwareOptions = func(workspace string) host.Options { return host.Options{Workspace: workspace} }

type hardwareReport struct {
	Facts   host.Facts   `json:"facts"`
	Verdict host.Verdict `json:"verdict"`
}

func runHardware(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("hardware", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	asJSON := fs.Bool("json", false, "print the report as JSON")
	workspace := fs.String("workspace", "", "where models will live; free disk is measured there (default: comfy-cli's default workspace)")
	torch := fs.Bool("torch", false, "also ask python3 whether PyTorch can use the GPU (imports torch: takes seconds)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "comfyhcl hardware: unexpected argument %q\n", fs.Arg(0))
		return exitError
	}
	ws := *workspace
	if ws == "" {
		ws = launch.DefaultWorkspace()
	}
	opts := hardwareOptions(ws)
	opts.ProbeTorch = *torch
	facts := host.Collect(ctx, opts)
	rep := hardwareReport{Facts: facts, Verdict: host.Judge(facts, host.Requirements{})}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	if *asJSON {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(env.Stderr, "comfyhcl hardware:", err)
			return exitError
		}
		return exitOK
	}
	writeHardware(env.Stdout, rep)
	return exitOK
}

func writeHardware(w io.Writer, rep hardwareReport) {
	f := rep.Facts
	platform := f.OS + "/" + f.Arch
	if f.WSL2 {
		platform += " (WSL2)"
	}
	if f.Apple != nil {
		platform += ", Apple " + strings.TrimPrefix(f.Apple.Chip, "Apple ")
		if f.Apple.Rosetta {
			platform += " under Rosetta"
		}
	}
	fmt.Fprintln(w, "Host")
	hwRow(w, "platform", platform)
	cpu := hwOrUnknown(f.CPU.Model)
	if f.CPU.Cores > 0 {
		cpu += fmt.Sprintf(" (%d cores, %d threads)", f.CPU.Cores, f.CPU.Threads)
	}
	hwRow(w, "cpu", cpu)
	hwRow(w, "memory", hwSize(f.MemoryB))
	for _, d := range f.Disks {
		hwRow(w, "disk", strings.TrimSpace(fmt.Sprintf("%s %s %s %s", d.Name, host.Bytes(d.SizeB), d.Type, d.Model)))
	}
	if f.DiskFree != nil {
		hwRow(w, "free disk", fmt.Sprintf("%s of %s at %s", host.Bytes(f.DiskFree.FreeB), host.Bytes(f.DiskFree.TotalB), f.DiskFree.Path))
	}
	fmt.Fprintln(w, "\nGPUs")
	if len(f.GPUs) == 0 {
		fmt.Fprintln(w, "  none found")
	}
	for i, g := range f.GPUs {
		mark := " "
		if i == f.Best {
			mark = "*"
		}
		mem := "VRAM unknown"
		switch {
		case g.Unified:
			mem = host.Bytes(g.VRAMTotalB) + " unified memory"
		case g.VRAMAtLeast:
			mem = fmt.Sprintf("at least %s VRAM", host.Bytes(g.VRAMTotalB))
		case g.VRAMTotalB > 0 && g.VRAMFreeB == 0:
			mem = host.Bytes(g.VRAMTotalB) + " VRAM"
		case g.VRAMTotalB > 0:
			mem = fmt.Sprintf("%s VRAM, %s free", host.Bytes(g.VRAMTotalB), host.Bytes(g.VRAMFreeB))
		}
		extra := ""
		if g.Driver != "" {
			extra = ", driver " + g.Driver
		}
		fmt.Fprintf(w, "  %s %d  %s: %s%s [%s]\n", mark, g.Index, g.Name, mem, extra, g.Source)
	}
	if tr := f.Torch; tr != nil {
		state := tr.Version + " in " + tr.Python + ": "
		switch {
		case tr.Error != "":
			state = tr.Python + " cannot import it: " + tr.Error
		case tr.CUDA && tr.ROCm:
			state += fmt.Sprintf("ROCm, %d device(s)", tr.Devices)
		case tr.CUDA:
			state += fmt.Sprintf("CUDA, %d device(s)", tr.Devices)
		case tr.MPS:
			state += "MPS"
		default:
			state += "CPU only"
		}
		fmt.Fprintln(w)
		hwRow(w, "pytorch", state)
	}
	fmt.Fprintln(w, "\nTools")
	for _, t := range f.Tools {
		state := "not installed"
		if t.Found {
			state = "ok"
			if t.Error != "" {
				state = "fails: " + t.Error
			}
		}
		hwRow(w, t.Name, state)
	}
	for _, n := range f.Notes {
		fmt.Fprintln(w, "  note:", n)
	}
	fmt.Fprintf(w, "\nVerdict: %s\n", rep.Verdict.Level)
	for _, r := range rep.Verdict.Reasons {
		fmt.Fprintln(w, "  -", r)
	}
}

func hwRow(w io.Writer, k, v string) { fmt.Fprintf(w, "  %-10s %s\n", k, v) }

func hwOrUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

func hwSize(n int64) string {
	if n <= 0 {
		return "unknown"
	}
	return host.Bytes(n)
}
