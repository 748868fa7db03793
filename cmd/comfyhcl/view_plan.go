package main

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/comfyhcl/comfyhcl/core"
)

// planSymbols are Terraform's, so the plan reads the way users already know.
var planSymbols = map[core.Action]string{
	core.ActionCreate: "+", core.ActionReplace: "-/+", core.ActionDelete: "-", core.ActionResume: ">",
	core.ActionUpdate: "~", core.ActionAdopt: "=",
}

func planSymbolOf(action string) string { return planSymbols[core.Action(action)] }

type planCounts struct{ create, replace, update, adopt, remove, resume, unchanged int }

func countPlan(p *core.Plan) planCounts {
	var c planCounts
	for _, ch := range p.Changes {
		switch ch.Action {
		case core.ActionCreate:
			c.create++
		case core.ActionReplace:
			c.replace++
		case core.ActionDelete:
			c.remove++
		case core.ActionResume:
			c.resume++
		case core.ActionUpdate:
			c.update++
		case core.ActionAdopt:
			c.adopt++
		default:
			c.unchanged++
		}
	}
	return c
}

// renderPlan prints the plan for a person.
func renderPlan(w io.Writer, p *core.Plan, color bool) {
	for _, ch := range p.Changes {
		if ch.Action == core.ActionNoOp && ch.Reason != "" {
			fmt.Fprintf(w, "  note: %s: %s\n", ch.Address, ch.Reason)
		}
	}
	renderPreflight(w, p, color)
	if !p.HasChanges() {
		fmt.Fprintf(w, "No changes. %d item(s) up to date.\n", countPlan(p).unchanged)
		return
	}
	fmt.Fprintln(w, "comfyhcl will perform these actions:")
	fmt.Fprintln(w)
	for _, ch := range p.Changes {
		if ch.Action == core.ActionNoOp {
			continue
		}
		sym := planSymbols[ch.Action]
		fmt.Fprintf(w, "  %s %s  (%s)\n", paint(color, actionColor(ch.Action), fmt.Sprintf("%-3s", sym)), ch.Address, ch.Reason)
		if ch.Instance != nil {
			fmt.Fprintf(w, "        provider %s, %d nodes, outputs to %s/\n", ch.Provider, len(ch.Instance.Graph), ch.Instance.OutputDir)
		}
		if ch.Model != nil && ch.Model.Spec.Source != "" && (ch.Action == core.ActionCreate || ch.Action == core.ActionReplace) {
			fmt.Fprintf(w, "        from %s%s\n", ch.Model.Spec.Source, sizeNote(ch.Model.Spec.Size))
		}
	}
	c := countPlan(p)
	fmt.Fprintf(w, "\nPlan: %d to create, %d to replace, %d to update, %d to adopt, %d to resume, %d to delete, %d unchanged.\n",
		c.create, c.replace, c.update, c.adopt, c.resume, c.remove, c.unchanged)
}

func sizeNote(n int64) string {
	if n <= 0 {
		return ""
	}
	return fmt.Sprintf(" (%s)", humanBytes(n))
}

func humanBytes(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}

func actionColor(a core.Action) string {
	switch a {
	case core.ActionCreate:
		return ansiGreen
	case core.ActionDelete:
		return ansiRed
	}
	return ansiYellow
}

const (
	ansiGreen  = "\x1b[32m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBold   = "\x1b[1m"
	ansiReset  = "\x1b[0m"
)

func paint(color bool, code, s string) string {
	if !color {
		return s
	}
	return code + s + ansiReset
}

// jsonChange is the stable machine form of one planned change.
type jsonChange struct {
	Kind       string `json:"kind"`
	Address    string `json:"address"`
	Action     string `json:"action"`
	Reason     string `json:"reason,omitempty"`
	Provider   string `json:"provider"`
	InputsHash string `json:"inputs_hash,omitempty"`
	OutputDir  string `json:"output_dir,omitempty"`
}

type jsonPlan struct {
	FormatVersion string       `json:"format_version"`
	Changes       []jsonChange `json:"changes"`
	HasChanges    bool         `json:"has_changes"`
}

func planJSON(p *core.Plan) ([]byte, error) {
	out := jsonPlan{FormatVersion: "1", Changes: []jsonChange{}, HasChanges: p.HasChanges()}
	for _, ch := range p.Changes {
		jc := jsonChange{Kind: ch.Kind(), Address: ch.Address, Action: string(ch.Action), Reason: ch.Reason, Provider: ch.Provider}
		if ch.Instance != nil {
			jc.InputsHash, jc.OutputDir = ch.Instance.InputsHash, ch.Instance.OutputDir
		}
		out.Changes = append(out.Changes, jc)
	}
	return json.MarshalIndent(out, "", "  ")
}

// renderPreflight lists capacity checks that are not plainly fine, with their sources.
func renderPreflight(w io.Writer, p *core.Plan, color bool) {
	if len(p.Preflight) == 0 {
		return
	}
	fmt.Fprintln(w, "Preflight:")
	for _, c := range p.Preflight {
		code := ansiGreen
		switch c.Level {
		case "warn":
			code = ansiYellow
		case "fail":
			code = ansiRed
		}
		line := fmt.Sprintf("  %-4s %s %s: needs %s, has %s (%s)", paint(color, code, string(c.Level)), c.Subject, c.What,
			humanBytes(c.Need), humanBytes(c.Have), c.Source)
		if c.Detail != "" {
			line += ": " + c.Detail
		}
		fmt.Fprintln(w, line)
	}
	fmt.Fprintln(w)
}
