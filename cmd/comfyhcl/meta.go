package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"github.com/comfyhcl/comfyhcl/providers/local/launch"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/comfyhcl/comfyhcl/core"
	"github.com/comfyhcl/comfyhcl/core/state"
	"github.com/comfyhcl/comfyhcl/lang"
	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/hcl/v2"
	"golang.org/x/term"
)

// varFlag and varFileFlag collect -var and -var-file into one list in the order given,
// which is how Terraform decides which of them wins.
type varFlag struct{ args *[]lang.VarArg }

func (v varFlag) String() string { return "" }
func (v varFlag) Set(s string) error {
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("-var takes name=value, got %q", s)
	}
	*v.args = append(*v.args, lang.VarArg{Name: name, Value: value})
	return nil
}

type varFileFlag struct{ args *[]lang.VarArg }

func (v varFileFlag) String() string { return "" }
func (v varFileFlag) Set(s string) error {
	*v.args = append(*v.args, lang.VarArg{File: s})
	return nil
}

// listFlag collects a repeatable flag.
type listFlag struct{ list *[]string }

func (l listFlag) String() string     { return "" }
func (l listFlag) Set(s string) error { *l.list = append(*l.list, s); return nil }

// planFlags are plan's and apply's own: what to plan and how hard to check.
type planFlags struct {
	targets     []string
	replace     []string
	parallelism int
	refresh     bool
	preflight   string
}

func (p *planFlags) register(fs *flag.FlagSet) {
	fs.Var(listFlag{&p.targets}, "target", "limit to this address and what it needs (repeatable), e.g. -target=render.hero")
	fs.Var(listFlag{&p.replace}, "replace", "replace this address even if up to date (repeatable)")
	fs.IntVar(&p.parallelism, "parallelism", 4, "concurrent downloads and installs")
	fs.BoolVar(&p.refresh, "refresh", true, "re-read output files and server state; -refresh=false trusts the state")
	fs.StringVar(&p.preflight, "preflight", "fail", "fail: capacity problems block apply; warn: report them and go on")
}

func (p *planFlags) apply(o *core.Options) error {
	if p.preflight != "fail" && p.preflight != "warn" {
		return fmt.Errorf("-preflight takes fail or warn, not %q", p.preflight)
	}
	if p.parallelism < 1 {
		return fmt.Errorf("-parallelism must be at least 1")
	}
	o.Targets, o.Replace, o.Parallelism = p.targets, p.replace, p.parallelism
	o.NoRefresh, o.PreflightWarn = !p.refresh, p.preflight == "warn"
	return nil
}

// configFlags are the flags every command that reads a configuration shares.
type configFlags struct {
	plan        *planFlags // nil for commands that do not plan
	vars        []lang.VarArg
	noColor     bool
	lockTimeout time.Duration
}

func (c *configFlags) register(fs *flag.FlagSet) {
	fs.Var(varFlag{&c.vars}, "var", "set a variable: -var name=value (repeatable)")
	fs.Var(varFileFlag{&c.vars}, "var-file", "read variable values from an HCL file (repeatable)")
	fs.BoolVar(&c.noColor, "no-color", false, "no colours in the output")
	fs.DurationVar(&c.lockTimeout, "lock-timeout", 0, "how long to wait for the state lock (e.g. 30s)")
}

// useColor says whether w is a terminal that wants colour.
func (c *configFlags) useColor(w any) bool {
	if c.noColor || os.Getenv("NO_COLOR") != "" {
		return false
	}
	return isTerminal(w)
}

// isTerminal says whether w is a terminal (not a file or a pipe).
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

// session is a loaded configuration with its engine; close it on every exit path.
type session struct {
	cfg       *lang.Config
	engine    *core.Engine
	statePath string
	log       hclog.Logger
	lock      *state.Lock
}

// lockedState takes the state lock for the rest of the command and reads the state.
func (s *session) lockedState(operation string, timeout time.Duration) (*state.State, hcl.Diagnostics) {
	l, err := state.AcquireLock(s.statePath, operation, timeout)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "State locked", Detail: err.Error()}}
	}
	s.lock = l
	return s.engine.LoadState()
}

func openSession(env *Env, dir string, cf *configFlags) (*session, hcl.Diagnostics) {
	if dir == "" {
		dir = env.Dir
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid directory", Detail: err.Error()}}
	}
	cfg, diags := lang.LoadDir(abs)
	if diags.HasErrors() {
		return &session{cfg: cfg}, diags
	}
	log := newLogger()
	launcher, err := newProviderLauncher(log)
	if err != nil {
		return &session{cfg: cfg}, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Cannot start providers", Detail: err.Error()})
	}
	launcher.useConfig(cfg) // discovery follows the configuration's directory and required_providers
	statePath := filepath.Join(abs, state.FileName)
	inputs := lang.VariableInputs{Env: os.Environ(), Args: cf.vars}
	if term.IsTerminal(int(os.Stdin.Fd())) && env.Stdin == os.Stdin {
		inputs.Prompt = promptVariable(env)
	}
	opts := core.Options{Config: cfg, StatePath: statePath, Launcher: launcher, Log: log,
		Variables: inputs, ClientVersion: version, RestartServer: restartLaunchedServer}
	if cf.plan != nil {
		if err := cf.plan.apply(&opts); err != nil {
			return &session{cfg: cfg}, append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Invalid flag", Detail: err.Error()})
		}
	}
	eng := core.New(opts)
	return &session{cfg: cfg, engine: eng, statePath: statePath, log: log}, diags
}

func (s *session) close() {
	if s == nil {
		return
	}
	if s.engine != nil {
		s.engine.Close()
	}
	s.lock.Unlock()
}

func (s *session) files() map[string]*hcl.File {
	if s == nil || s.cfg == nil {
		return nil
	}
	return s.cfg.Files
}

// showDiagnostics renders diagnostics for a person: file:line:col, the source snippet,
// summary and detail. It goes through lang's renderer rather than HCL's own writer,
// which would print the values of the variables an expression uses, secrets included.
func showDiagnostics(w io.Writer, diags hcl.Diagnostics, files map[string]*hcl.File, color bool) {
	renderDiagnostics(w, dedupeDiagnostics(diags), files, color)
}

// dedupeDiagnostics drops repeats: a provider that cannot start is reported by every
// block that needs it, with the same words on the same provider block.
func dedupeDiagnostics(diags hcl.Diagnostics) hcl.Diagnostics {
	seen := map[string]bool{}
	var out hcl.Diagnostics
	for _, d := range diags {
		key := fmt.Sprintf("%d\x00%s\x00%s\x00%v", d.Severity, d.Summary, d.Detail, d.Subject)
		if seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, d)
	}
	return out
}

// promptVariable asks for a required variable on the terminal, as Terraform does.
func promptVariable(env *Env) func(name, description string) (string, bool) {
	reader := bufio.NewReader(env.Stdin)
	return func(name, description string) (string, bool) {
		fmt.Fprintf(env.Stdout, "var.%s\n", name)
		if description != "" {
			fmt.Fprintf(env.Stdout, "  %s\n", description)
		}
		fmt.Fprint(env.Stdout, "\n  Enter a value: ")
		line, err := reader.ReadString('\n')
		if err != nil && line == "" {
			return "", false
		}
		return strings.TrimRight(line, "\r\n"), true
	}
}

// restartLaunchedServer restarts the ComfyUI that `comfyhcl setup` launched in workspace,
// so that freshly installed node packs load; false when comfyhcl launched none there.
func restartLaunchedServer(ctx context.Context, workspace string) (bool, error) {
	rec, err := launch.LoadRecord(workspace)
	if err != nil || rec == nil {
		return false, err
	}
	if _, err := launch.Restart(ctx, rec, os.Environ(), 10*time.Minute); err != nil {
		return false, err
	}
	return true, nil
}

// planned takes the state lock, reads the state and plans, or loads the saved plan at
// planPath; plan and apply share it. It does nothing when opening the session already
// failed (opened holds openSession's diagnostics).
func (s *session) planned(ctx context.Context, operation string, lockTimeout time.Duration, planPath string, opened hcl.Diagnostics) (*state.State, *core.Plan, hcl.Diagnostics) {
	if opened.HasErrors() {
		return nil, nil, nil
	}
	st, diags := s.lockedState(operation, lockTimeout)
	if diags.HasErrors() {
		return nil, nil, diags
	}
	plan, pdiags := planOrLoad(ctx, s, st, planPath)
	return st, plan, append(diags, pdiags...)
}

func planOrLoad(ctx context.Context, s *session, st *state.State, planPath string) (*core.Plan, hcl.Diagnostics) {
	if planPath == "" {
		return s.engine.Plan(ctx, st)
	}
	p, diags := s.engine.LoadPlan(ctx, planPath)
	if !diags.HasErrors() && (p.PriorLineage != st.Lineage || p.PriorSerial != st.Serial) {
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: "Saved plan is stale",
			Detail: fmt.Sprintf("%s was made against state serial %d; the state is now at serial %d (something was applied since). Run plan -out again.", planPath, p.PriorSerial, st.Serial)})
	}
	return p, diags
}
