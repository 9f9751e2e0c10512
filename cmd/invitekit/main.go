// Command invitekit calls the iVvy, Invitario and Alida APIs from the shell,
// serves fakes of all three, and runs a demonstration flow against them.
//
//	invitekit <api> <command> [flags]
//	invitekit fake [--addr 127.0.0.1:8080]
//	invitekit demo
//
// Results go to stdout (--format table|json|csv), diagnostics to stderr
// prefixed "invitekit:". Exit status: 0 success, 1 failure, 2 usage error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
)

// env is what a command may touch of the outside world.
type env struct {
	Stdin            io.Reader
	Stdout, Stderr   io.Writer
	Getenv           func(string) string
	StderrIsTerminal bool
}

type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands maps an API name (or "" for top-level commands) to its commands.
var commands = map[string]map[string]command{}

// register adds a command; api "" makes a top-level command.
func register(api, name, summary string, run func(ctx context.Context, e *env, args []string) error) {
	if commands[api] == nil {
		commands[api] = map[string]command{}
	}
	commands[api][name] = command{summary: summary, run: run}
}

// usageErr is a mistake in how the command was called (exit status 2).
type usageErr struct{ msg string }

func (u *usageErr) Error() string { return u.msg }

// usageError returns an error that exits with status 2.
func usageError(format string, args ...any) error {
	return &usageErr{msg: fmt.Sprintf(format, args...)}
}

// exitErr carries an exit status with an error already reported (or none).
type exitErr struct {
	code int
	msg  string
}

func (x *exitErr) Error() string { return x.msg }

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		StderrIsTerminal: isTerminal(os.Stderr),
	}
	os.Exit(run(ctx, e, os.Args[1:]))
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	err := dispatch(ctx, e, args)
	if err == nil {
		return 0
	}
	var u *usageErr
	var x *exitErr
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		fmt.Fprintf(e.Stderr, "invitekit: %s\n", u.msg)
		return 2
	case errors.As(err, &x):
		if x.msg != "" {
			fmt.Fprintf(e.Stderr, "invitekit: %s\n", x.msg)
		}
		return x.code
	}
	fmt.Fprintf(e.Stderr, "invitekit: %s\n", err)
	return 1
}

func dispatch(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(e.Stdout)
		if len(args) == 0 {
			return usageError("no command given")
		}
		return nil
	}
	if c, ok := commands[""][args[0]]; ok {
		return c.run(ctx, e, args[1:])
	}
	api, ok := commands[args[0]]
	if !ok {
		return usageError("unknown command %q (try invitekit help)", args[0])
	}
	if len(args) < 2 {
		return usageError("%s needs a command: %s", args[0], strings.Join(names(api), ", "))
	}
	c, ok := api[args[1]]
	if !ok {
		return usageError("unknown command %q for %s: want one of %s", args[1], args[0], strings.Join(names(api), ", "))
	}
	return c.run(ctx, e, args[2:])
}

func names(m map[string]command) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "usage: invitekit <api> <command> [flags]")
	apis := make([]string, 0, len(commands))
	for a := range commands {
		apis = append(apis, a)
	}
	sort.Strings(apis)
	for _, a := range apis {
		for _, n := range names(commands[a]) {
			fmt.Fprintf(w, "  %-28s %s\n", strings.TrimSpace(a+" "+n), commands[a][n].summary)
		}
	}
}

// newFlags returns a flag set whose errors become usage errors.
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("invitekit "+name, flag.ContinueOnError)
	fs.SetOutput(e.Stderr)
	return fs
}

// parseFlags parses args; stray arguments are a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError("%s", err)
	}
	if fs.NArg() > 0 {
		return usageError("%s: unexpected argument %q", fs.Name(), fs.Arg(0))
	}
	return nil
}

// setting returns the flag value if set, else the environment variable.
func setting(e *env, flagValue, envName string) string {
	if flagValue != "" {
		return flagValue
	}
	return strings.TrimSpace(e.Getenv(envName))
}
