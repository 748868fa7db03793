package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/hashicorp/hcl/v2"
)

func init() {
	registerCommand(command{Name: "plan", Synopsis: "show what apply would change", Run: runPlan})
}

func runPlan(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("plan", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var cf configFlags
	cf.register(fs)
	cf.plan = &planFlags{}
	cf.plan.register(fs)
	jsonOut := fs.Bool("json", false, "print the plan as JSON")
	detailed := fs.Bool("detailed-exitcode", false, "exit 2 when there are changes, 0 when none")
	out := fs.String("out", "", "save the plan to this file for `comfyhcl apply FILE`")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	s, diags := openSession(env, fs.Arg(0), &cf)
	defer s.close()
	color := cf.useColor(env.Stdout)
	_, plan, pdiags := s.planned(ctx, "plan", cf.lockTimeout, "", diags)
	diags = append(diags, pdiags...)
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, s.files(), color)
	}
	if diags.HasErrors() {
		return exitError
	}
	if *out != "" {
		if err := s.engine.SavePlan(*out, version, plan); err != nil {
			showDiagnostics(env.Stderr, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot save the plan", Detail: err.Error()}}, nil, false)
			return exitError
		}
	}
	if *jsonOut {
		b, err := planJSON(plan)
		if err != nil {
			showDiagnostics(env.Stderr, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot encode the plan", Detail: err.Error()}}, nil, false)
			return exitError
		}
		fmt.Fprintln(env.Stdout, string(b))
	} else {
		renderPlan(env.Stdout, plan, color)
		if *out != "" {
			fmt.Fprintf(env.Stdout, "\nSaved the plan to %s. Apply exactly this plan with: comfyhcl apply %s\n", *out, *out)
		}
	}
	if *detailed && plan.HasChanges() {
		return exitChanges
	}
	return exitOK
}
