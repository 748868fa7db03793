package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"github.com/comfyhcl/comfyhcl/core"
	"os"
	"strings"
)

func init() {
	registerCommand(command{Name: "apply", Synopsis: "install what is missing and run what is out of date", Run: runApply})
}

func runApply(ctx context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("apply", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var cf configFlags
	cf.register(fs)
	cf.plan = &planFlags{}
	cf.plan.register(fs)
	autoApprove := fs.Bool("auto-approve", false, "do not ask for confirmation")
	jsonOut := fs.Bool("json", false, "report progress as JSON lines")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	dir, planPath := fs.Arg(0), ""
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		// apply FILE: a saved plan, applied as reviewed, without asking again.
		dir, planPath, *autoApprove = "", dir, true
	}
	s, diags := openSession(env, dir, &cf)
	defer s.close()
	color := cf.useColor(env.Stdout)
	st, plan, pdiags := s.planned(ctx, "apply", cf.lockTimeout, planPath, diags)
	diags = append(diags, pdiags...)
	if len(diags) > 0 {
		showDiagnostics(env.Stderr, diags, s.files(), color)
	}
	if diags.HasErrors() {
		return exitError
	}
	if !*jsonOut {
		renderPlan(env.Stdout, plan, color)
	}
	if !plan.HasChanges() {
		return exitOK
	}
	if !*autoApprove && !confirm(env) {
		fmt.Fprintln(env.Stderr, "Apply cancelled.")
		return exitError
	}
	var view interface {
		core.Hooks
		summary(interrupted bool)
	}
	if !*jsonOut && isTerminal(env.Stdout) {
		bars := newBarView(env.Stdout, color)
		view = bars
	} else {
		view = newApplyView(env.Stdout, *jsonOut, color)
	}
	adiags := s.engine.Apply(ctx, plan, st, view)
	interrupted := ctx.Err() != nil
	view.summary(interrupted)
	if len(adiags) > 0 {
		showDiagnostics(env.Stderr, adiags, s.files(), color)
	}
	switch {
	case interrupted:
		return exitInterrupted
	case adiags.HasErrors():
		return exitError
	}
	return exitOK
}

// confirm asks the Terraform question; only "yes" proceeds.
func confirm(env *Env) bool {
	fmt.Fprint(env.Stdout, "\nDo you want to perform these actions? Only 'yes' will be accepted: ")
	line, _ := bufio.NewReader(env.Stdin).ReadString('\n')
	return strings.TrimSpace(line) == "yes"
}
