// Command invitekit calls the iVvy, Invitario and Alida APIs from the shell,
// serves fakes of all three, and runs a demonstration flow against them.
//
//	invitekit <api> <command> [flags]
//	invitekit fake [--addr 127.0.0.1:8080]
//	invitekit demo
//
// Results go to stdout (--format table|json|jsonl|csv), diagnostics to
// stderr prefixed "invitekit:". Exit status: 0 success, 1 failure, 2 usage
// error. Global flags, accepted anywhere on the line: --timeout D (an overall
// time limit; none by default) and --csv-raw (CSV cells exactly as received,
// without the protection against spreadsheet formulas).
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
	"strconv"
	"strings"
	"syscall"
	"time"
)

// env is what a command may touch of the outside world.
type env struct {
	Stdin            io.Reader
	Stdout, Stderr   io.Writer
	Getenv           func(string) string
	StderrIsTerminal bool

	// csvRaw turns off the neutralising of CSV cells (--csv-raw).
	csvRaw bool
	// hooks record or check the API commands' exchanges (see record.go).
	hooks *apiHooks
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
	err := runGlobal(ctx, e, args)
	if err == nil {
		return 0
	}
	var u *usageErr
	var x *exitErr
	switch {
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &u):
		diag(e.Stderr, "%s", u.msg)
		return 2
	case errors.As(err, &x):
		if x.msg != "" {
			diag(e.Stderr, "%s", x.msg)
		}
		return x.code
	}
	diag(e.Stderr, "%s", err)
	return 1
}

// runGlobal takes the global flags off the command line, applies them and
// runs the command.
func runGlobal(ctx context.Context, e *env, args []string) error {
	rest, g, err := globalFlags(args)
	if err != nil {
		return err
	}
	e.csvRaw = g.csvRaw
	e.hooks = &g.hooks
	defer e.hooks.finish(e)
	if g.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, g.timeout)
		defer cancel()
	}
	err = dispatch(ctx, e, rest)
	if err != nil && g.timeout > 0 && errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return fmt.Errorf("stopped by --timeout %s: %w", g.timeout, err)
	}
	return err
}

// globals are the flags every command takes, anywhere on the line.
type globals struct {
	timeout time.Duration
	csvRaw  bool
	hooks   apiHooks // --record, --record-mask-pii, --check-spec
}

// globalFlags removes the global flags from args (up to a "--") and returns
// the rest.
func globalFlags(args []string) ([]string, globals, error) {
	var g globals
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		name, value, hasValue := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(a, "-"), "-"), "=")
		if !strings.HasPrefix(a, "-") {
			name = ""
		}
		switch name {
		case "csv-raw":
			g.csvRaw = true
			if hasValue {
				b, err := strconv.ParseBool(value)
				if err != nil {
					return nil, g, usageError("--csv-raw=%q: want true or false", value)
				}
				g.csvRaw = b
			}
		case "timeout":
			if !hasValue {
				if i+1 >= len(args) {
					return nil, g, usageError("--timeout needs a duration such as 30s or 5m")
				}
				i++
				value = args[i]
			}
			d, err := time.ParseDuration(value)
			if err != nil || d < 0 {
				return nil, g, usageError("--timeout %q: want a duration such as 30s or 5m (0: none)", value)
			}
			g.timeout = d
		case "record", "record-mask-pii", "check-spec":
			used, err := g.hooks.parse(name, value, hasValue, args[i+1:])
			if err != nil {
				return nil, g, err
			}
			i += used
		default:
			rest = append(rest, a)
		}
	}
	return rest, g, g.hooks.check()
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
	fmt.Fprintln(w, "global flags (anywhere on the line): --timeout D (overall time limit, none by default),")
	fmt.Fprintln(w, "  --csv-raw (CSV cells exactly as received: no protection against spreadsheet formulas)")
	fmt.Fprintln(w, "  --record DIR (save each exchange as a scrubbed fixture file), --record-mask-pii,")
	fmt.Fprintln(w, "  --check-spec (report answers that depart from the spec on stderr)")
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
