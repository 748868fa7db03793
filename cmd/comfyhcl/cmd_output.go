package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/comfyhcl/comfyhcl/lang"
	ctyjson "github.com/zclconf/go-cty/cty/json"
)

func init() {
	registerCommand(command{Name: "output", Synopsis: "print the values of output blocks", Run: runOutput})
}

func runOutput(_ context.Context, env *Env, args []string) int {
	fs := flag.NewFlagSet("output", flag.ContinueOnError)
	fs.SetOutput(env.Stderr)
	var cf configFlags
	cf.register(fs)
	jsonOut := fs.Bool("json", false, "print outputs as a JSON object (sensitive values included, flagged)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	s, diags := openSession(env, "", &cf)
	defer s.close()
	if diags.HasErrors() {
		return fail(env, diags, s.files())
	}
	st, sdiags := s.engine.LoadState()
	if sdiags.HasErrors() {
		return fail(env, sdiags, s.files())
	}
	outs, odiags := s.engine.Outputs(st)
	if odiags.HasErrors() {
		return fail(env, odiags, s.files())
	}
	want := fs.Arg(0)
	if *jsonOut {
		obj := map[string]any{}
		for _, o := range outs {
			if want != "" && o.Name != want {
				continue
			}
			v, _ := o.Value.UnmarkDeep()
			raw, err := ctyjson.Marshal(v, v.Type())
			if err != nil {
				fmt.Fprintf(env.Stderr, "comfyhcl output: %s: %v\n", o.Name, err)
				return exitError
			}
			obj[o.Name] = map[string]any{"value": json.RawMessage(raw), "sensitive": o.Sensitive}
		}
		b, _ := json.MarshalIndent(obj, "", "  ")
		fmt.Fprintln(env.Stdout, string(b))
		return exitOK
	}
	found := false
	for _, o := range outs {
		if want != "" && o.Name != want {
			continue
		}
		found = true
		fmt.Fprintf(env.Stdout, "%s = %s\n", o.Name, lang.FormatValue(o.Value))
	}
	if want != "" && !found {
		fmt.Fprintf(env.Stderr, "comfyhcl output: no output named %q\n", want)
		return exitError
	}
	return exitOK
}
