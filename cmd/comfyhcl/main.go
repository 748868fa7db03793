// Command comfyhcl declares ComfyUI estates in HCL and converges servers onto them.
package main

import (
	"context"
	"fmt"
	"github.com/comfyhcl/comfyhcl/lang"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// Exit codes scripts can rely on (design.md §2).
const (
	exitOK          = 0
	exitError       = 1
	exitChanges     = 2 // plan -detailed-exitcode: changes present
	exitFmtCheck    = 3 // fmt -check: files would change
	exitInterrupted = 130
)

// command is one verb of the CLI. Each lives in its own cmd_<name>.go and registers
// itself from init so that adding a verb touches one file.
type command struct {
	Name     string
	Synopsis string
	Hidden   bool
	Run      func(ctx context.Context, env *Env, args []string) int
}

// Env is what a command may touch: its streams and working directory. Tests build one
// with buffers instead of the process's streams.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	Stdin  io.Reader
	Dir    string
}

var commands = map[string]command{}

func registerCommand(c command) {
	if _, dup := commands[c.Name]; dup {
		panic("comfyhcl: command registered twice: " + c.Name)
	}
	commands[c.Name] = c
}

func main() {
	os.Exit(realMain(os.Args[1:]))
}

func realMain(args []string) int {
	lang.CoreVersion = version
	dir, err := os.Getwd()
	if err != nil {
		fmt.Fprintln(os.Stderr, "comfyhcl:", err)
		return exitError
	}
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Stdin: os.Stdin, Dir: dir}
	if len(args) == 0 || args[0] == "-h" || args[0] == "-help" || args[0] == "--help" || args[0] == "help" {
		printUsage(env.Stdout)
		return exitOK
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(env.Stderr, "comfyhcl: unknown command %q\n\n", args[0])
		printUsage(env.Stderr)
		return exitError
	}
	ctx, stop := interruptContext()
	defer stop()
	return cmd.Run(ctx, env, args[1:])
}

// interruptContext cancels on the first SIGINT/SIGTERM so commands can persist state and
// exit 130; a second signal forces the exit at once.
func interruptContext() (context.Context, func()) {
	ctx, cancel := context.WithCancel(context.Background())
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() {
		select {
		case <-sigs:
			cancel()
		case <-ctx.Done():
			return
		}
		select {
		case <-sigs:
			fmt.Fprintln(os.Stderr, "\ncomfyhcl: second interrupt, exiting now")
			os.Exit(exitInterrupted)
		case <-ctx.Done():
		}
	}()
	return ctx, func() { signal.Stop(sigs); cancel() }
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: comfyhcl <command> [flags] [args]")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for name, c := range commands {
		if !c.Hidden {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, name := range names {
		fmt.Fprintf(w, "  %-12s %s\n", name, commands[name].Synopsis)
	}
}
