// Command invitekit calls the iVvy, Invitario and Alida APIs from the shell,
// serves fakes of all three, and runs a demonstration flow against them.
//
//	invitekit <api> <command> [flags] [arguments]
//	invitekit fake [--addr 127.0.0.1:8080]
//	invitekit demo
//	invitekit help [environment | <api> [<command>]]
//
// Results go to stdout (--format table|json|jsonl|csv), diagnostics to
// stderr prefixed "invitekit:". Exit status: 0 success, 1 failure, 2 usage
// error.
//
// # Adding a command
//
// Put it in a file of its own and register it from an init function:
//
//	func init() {
//		add(command{
//			Group: "ivvy", Name: "call",
//			Summary: "call any documented iVvy action",       // one line, for the command list
//			Usage:   "NAMESPACE ACTION [--data JSON|@FILE|-]", // what follows "invitekit ivvy call"
//			Example: "invitekit ivvy call event getEventList",
//			Run:     runIvvyCall,
//		})
//	}
//
// (register(group, name, summary, run) is the short form.) Env defaults to
// the group's environment variables (ivvyVars for "ivvy" ...); set it when
// the command reads others, and add a new variable to the environment table
// below so that "invitekit help environment" lists it. A Group that does
// not exist yet is created. In Run, declare flags on newFlags(e, "ivvy
// call") and parse with parseFlags (no arguments allowed) or parseArgs
// (returns the positional arguments) before doing anything else: help and
// completion learn a command's flags by running it up to that call. That
// gives the command its --help
// page, flags anywhere on the line, one-line errors for bad flags, and
// shell completion. Results go through newListOut (lists) or writeRecords
// (anything else) with e.format; API clients are built with the options of
// ivvyOptions/alidaOptions/invitarioOptions so that the global flags reach
// them. A command that changes state takes --dry-run and builds its client
// on a dryRun transport (see dryrun.go).
//
// # Adding a global flag
//
// Call registerGlobal from an init function in the flag's own file:
//
//	func init() {
//		registerGlobal(globalFlag{Name: "record", Arg: "DIR", Usage: "save each exchange as a fixture file in DIR",
//			Set: func(e *env, dir string) error { e.wrapTransport(newRecorder(dir)); return nil }})
//	}
//
// Set runs before the command, once per occurrence; a flag without Arg is
// boolean and receives "true" or "false". Global flags are taken off the
// line wherever they stand (up to a "--"), so every command accepts them.
// A flag that affects HTTP exchanges adds a transport layer with
// e.wrapTransport; one that must act after the command adds e.atExit.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"slices"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// env is what a command may touch of the outside world, and the settings
// of the global flags.
type env struct {
	Stdin            io.Reader
	Stdout, Stderr   io.Writer
	Getenv           func(string) string
	StderrIsTerminal bool
	StdoutIsTerminal bool

	// format is the --format value: table, json, jsonl or csv.
	format string
	// csvRaw turns off the neutralising of CSV cells (--csv-raw).
	csvRaw bool
	// hooks record or check the API commands' exchanges (--record,
	// --check-spec; see record.go).
	hooks *apiHooks
	// verbose writes one stderr line per HTTP attempt (--verbose).
	verbose bool
	// timeout is the overall time limit (--timeout); 0 is none.
	timeout time.Duration

	// wrappers wrap the HTTP transport of every API client, innermost
	// first; see wrapTransport.
	wrappers []func(http.RoundTripper) http.RoundTripper
	// atExit runs after the command, in order, with the command's error.
	atExit []func(error) error

	// probe, when set, makes parseArgs store the command's flag set there
	// and stop the command before it does anything.
	probe **flag.FlagSet
}

// wrapTransport adds a layer around the HTTP transport of every API client
// the command builds.
func (e *env) wrapTransport(w func(http.RoundTripper) http.RoundTripper) {
	e.wrappers = append(e.wrappers, w)
}

// transport returns the HTTP transport for API clients: base (nil: the
// default) wrapped by every layer the global flags added.
func (e *env) transport(base http.RoundTripper) http.RoundTripper {
	if base == nil {
		base = http.DefaultTransport
	}
	for _, w := range e.wrappers {
		base = w(base)
	}
	return base
}

// logger returns the logger for API clients: one stderr line per attempt
// with --verbose, nil otherwise.
func (e *env) logger() *slog.Logger {
	if !e.verbose {
		return nil
	}
	return slog.New(newAttemptHandler(e.Stderr))
}

// command is one command of the table.
type command struct {
	// Group is the API (or other group) the command belongs to; "" makes
	// a top-level command.
	Group, Name string
	// Summary is one line for the command list and the top of the help.
	Summary string
	// Usage is what follows the command's name in the synopsis.
	Usage string
	// Description says more, in the help page; optional.
	Description string
	// Env lists the environment variables the command reads; nil means
	// those of its group.
	Env []string
	// Example is a command line or a few, one per line.
	Example string
	// Run runs the command with the arguments after its name.
	Run func(ctx context.Context, e *env, args []string) error
}

// path is how the command is called: "ivvy invite", "demo".
func (c *command) path() string { return strings.TrimSpace(c.Group + " " + c.Name) }

// env returns the environment variables the command reads.
func (c *command) env() []string {
	if c.Env != nil {
		return c.Env
	}
	if g := groups[c.Group]; g != nil {
		return g.Env
	}
	return nil
}

// group is a set of commands under one word, usually an API.
type group struct {
	Name, Summary string
	Env           []string
}

var (
	// commands maps a group ("" for top-level commands) to its commands.
	commands = map[string]map[string]*command{}
	// groups holds the groups' summaries and environment variables.
	groups = map[string]*group{}
)

// add puts c in the command table, creating its group if needed.
func add(c command) {
	if c.Group != "" && groups[c.Group] == nil {
		groups[c.Group] = &group{Name: c.Group}
	}
	if commands[c.Group] == nil {
		commands[c.Group] = map[string]*command{}
	}
	if _, dup := commands[c.Group][c.Name]; dup {
		panic("invitekit: command registered twice: " + c.path())
	}
	commands[c.Group][c.Name] = &c
}

// register is the short form of add; api "" makes a top-level command. It
// returns the command so that its help can be filled in.
func register(api, name, summary string, run func(ctx context.Context, e *env, args []string) error) *command {
	add(command{Group: api, Name: name, Summary: summary, Run: run})
	return commands[api][name]
}

// addGroup describes a group of commands.
func addGroup(name, summary string, env ...string) {
	g := groups[name]
	if g == nil {
		g = &group{Name: name}
		groups[name] = g
	}
	g.Summary, g.Env = summary, env
}

// envVar is one environment variable the CLI reads.
type envVar struct{ Name, Meaning string }

// environment lists every environment variable the CLI reads, for
// "invitekit help environment" and the help pages.
var environment = []envVar{
	{"IVVY_BASE_URL", "iVvy host, e.g. https://api.us-west-2.ivvy.com (or --base-url, --region au|us|eu)"},
	{"IVVY_API_KEY", "iVvy API key"},
	{"IVVY_API_SECRET", "iVvy API secret (signs requests; never sent or printed)"},
	{"INVITARIO_BASE_URL", "Invitario host, scheme://host[:port] (or --base-url)"},
	{"INVITARIO_EVENT_ID", "Invitario event id (or --event)"},
	{"INVITARIO_API_KEY", "app code of the check-in app configuration (or --api-key; prefer the environment)"},
	{"INVITARIO_STATION", "station name, the app configuration's name (or --station)"},
	{"ALIDA_BASE_URL", "Alida host, e.g. https://api.na1.alida.com (or --base-url, --region)"},
	{"ALIDA_COMMUNITY", "community API key name (or --community)"},
	{"ALIDA_USERNAME", "Basic auth user name"},
	{"ALIDA_PASSWORD", "Basic auth password"},
	{"ALIDA_CLIENT_ID", "OAuth2 client id (client credentials instead of Basic)"},
	{"ALIDA_CLIENT_SECRET", "OAuth2 client secret"},
	{"ALIDA_TOKEN_URL", "OAuth2 token endpoint (optional)"},
}

// Environment variables by API.
var (
	ivvyVars      = []string{"IVVY_BASE_URL", "IVVY_API_KEY", "IVVY_API_SECRET"}
	invitarioVars = []string{"INVITARIO_BASE_URL", "INVITARIO_EVENT_ID", "INVITARIO_API_KEY", "INVITARIO_STATION"}
	alidaVars     = []string{"ALIDA_BASE_URL", "ALIDA_COMMUNITY", "ALIDA_USERNAME", "ALIDA_PASSWORD",
		"ALIDA_CLIENT_ID", "ALIDA_CLIENT_SECRET", "ALIDA_TOKEN_URL"}
)

func init() {
	addGroup("ivvy", "iVvy: events, contacts and invitations (HMAC-signed)", ivvyVars...)
	addGroup("invitario", "Invitario: an event's guest list and check-ins", invitarioVars...)
	addGroup("alida", "Alida: invitation and reminder events of a community", alidaVars...)
}

// exitCodes is the exit status paragraph of every help page.
const exitCodes = "Exit status: 0 success, 1 failure (details on stderr), 2 usage error."

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

// errProbed ends a command run only to learn its flags.
var errProbed = errors.New("flags probed")

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{
		Stdin:            os.Stdin,
		Stdout:           os.Stdout,
		Stderr:           os.Stderr,
		Getenv:           os.Getenv,
		StderrIsTerminal: isTerminal(os.Stderr),
		StdoutIsTerminal: isTerminal(os.Stdout),
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
	case errors.Is(err, flag.ErrHelp), errors.Is(err, errProbed):
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
	if e.format == "" {
		e.format = "table"
	}
	rest, err := applyGlobalFlags(e, args)
	if err != nil {
		return err
	}
	if err := checkFormat(e.format); err != nil {
		return err
	}
	if e.hooks != nil {
		if err := e.hooks.check(); err != nil {
			return err
		}
	}
	if e.timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.timeout)
		defer cancel()
	}
	err = dispatch(ctx, e, rest)
	for _, f := range e.atExit {
		err = f(err)
	}
	if err != nil && e.timeout > 0 && errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
		return fmt.Errorf("stopped by --timeout %s: %w", e.timeout, err)
	}
	return err
}

// globalFlag is a flag every command takes, anywhere on the line.
type globalFlag struct {
	Name string
	// Arg names the value in help ("D", "DIR"); "" makes a boolean flag.
	Arg   string
	Usage string
	// Set applies one occurrence; a boolean flag gets "true" or "false".
	Set func(e *env, value string) error
}

// globalFlags is the table of global flags, in the order help lists them.
var globalFlags []globalFlag

// registerGlobal adds a global flag.
func registerGlobal(f globalFlag) {
	for _, g := range globalFlags {
		if g.Name == f.Name {
			panic("invitekit: global flag registered twice: --" + f.Name)
		}
	}
	globalFlags = append(globalFlags, f)
}

func init() {
	registerGlobal(globalFlag{Name: "format", Arg: "F", Usage: "output format: table, json, jsonl or csv (default table)",
		Set: func(e *env, v string) error { e.format = v; return checkFormat(v) }})
	registerGlobal(globalFlag{Name: "verbose", Usage: "one stderr line per HTTP attempt: operation, status, duration, attempt",
		Set: func(e *env, v string) error { e.verbose = v == "true"; return nil }})
	registerGlobal(globalFlag{Name: "timeout", Arg: "D", Usage: "overall time limit such as 30s or 5m (default none)",
		Set: func(e *env, v string) error {
			d, err := time.ParseDuration(v)
			if err != nil || d < 0 {
				return usageError("--timeout %q: want a duration such as 30s or 5m (0: none)", v)
			}
			e.timeout = d
			return nil
		}})
	registerGlobal(globalFlag{Name: "csv-raw", Usage: "CSV cells exactly as received, without the protection against spreadsheet formulas",
		Set: func(e *env, v string) error { e.csvRaw = v == "true"; return nil }})
}

// applyGlobalFlags applies the global flags found in args (up to a "--")
// and returns the rest.
func applyGlobalFlags(e *env, args []string) ([]string, error) {
	rest := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			rest = append(rest, args[i:]...)
			break
		}
		g, value, hasValue := findGlobal(a)
		if g == nil {
			rest = append(rest, a)
			continue
		}
		switch {
		case g.Arg == "" && hasValue:
			b, err := strconv.ParseBool(value)
			if err != nil {
				return nil, usageError("--%s=%q: want true or false", g.Name, value)
			}
			value = strconv.FormatBool(b)
		case g.Arg == "":
			value = "true"
		case !hasValue:
			if i+1 >= len(args) {
				return nil, usageError("--%s needs a value (%s)", g.Name, g.Usage)
			}
			i++
			value = args[i]
		}
		if err := g.Set(e, value); err != nil {
			return nil, err
		}
	}
	return rest, nil
}

// findGlobal reports whether arg is a global flag (-name, --name or
// --name=value).
func findGlobal(arg string) (*globalFlag, string, bool) {
	if len(arg) < 2 || arg[0] != '-' {
		return nil, "", false
	}
	name, value, hasValue := strings.Cut(strings.TrimPrefix(arg[1:], "-"), "=")
	for i := range globalFlags {
		if globalFlags[i].Name == name {
			return &globalFlags[i], value, hasValue
		}
	}
	return nil, "", false
}

func isHelp(a string) bool { return a == "help" || a == "-h" || a == "--help" || a == "-help" }

func dispatch(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		printUsage(e.Stdout)
		return usageError("no command given")
	}
	if isHelp(args[0]) {
		return runHelp(ctx, e, args[1:])
	}
	if args[0] == "--version" {
		return runVersion(ctx, e, args[1:])
	}
	if c, ok := commands[""][args[0]]; ok {
		return c.Run(ctx, e, args[1:])
	}
	g, ok := groups[args[0]]
	if !ok {
		return usageError("unknown command %q (see invitekit --help)", args[0])
	}
	if len(args) < 2 {
		printGroupHelp(e.Stdout, g)
		return usageError("%s needs a command: %s", g.Name, strings.Join(names(commands[g.Name]), ", "))
	}
	if isHelp(args[1]) {
		printGroupHelp(e.Stdout, g)
		return nil
	}
	c, ok := commands[g.Name][args[1]]
	if !ok {
		return usageError("unknown command %q for %s: want one of %s (see invitekit %s --help)",
			args[1], g.Name, strings.Join(names(commands[g.Name]), ", "), g.Name)
	}
	return c.Run(ctx, e, args[2:])
}

// runHelp answers "invitekit help [topic]".
func runHelp(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		printUsage(e.Stdout)
		return nil
	case args[0] == "environment" && len(args) == 1:
		printEnvironment(e.Stdout)
		return nil
	}
	if len(args) > 2 {
		return usageError("help: too many arguments (want invitekit help [environment | GROUP [COMMAND]])")
	}
	return dispatch(ctx, e, append(slices.Clone(args), "--help"))
}

func names(m map[string]*command) []string {
	out := make([]string, 0, len(m))
	for n := range m {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// allCommands returns every command, sorted by path.
func allCommands() []*command {
	var out []*command
	for _, m := range commands {
		for _, c := range m {
			out = append(out, c)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path() < out[j].path() })
	return out
}

func groupNames() []string {
	out := make([]string, 0, len(groups))
	for n := range groups {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "invitekit calls the iVvy, Invitario and Alida APIs, serves fakes of them, and runs a demo.")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintln(w, "  invitekit <api> <command> [flags]")
	fmt.Fprintln(w, "  invitekit <command> [flags]")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Commands:")
	for _, c := range allCommands() {
		fmt.Fprintf(w, "  %-28s %s\n", c.path(), c.Summary)
	}
	fmt.Fprintf(w, "  %-28s %s\n", "help environment", "the environment variables and how flags override them")
	fmt.Fprintln(w)
	printGlobalFlags(w)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Environment (see invitekit help environment; a flag overrides its variable):")
	for _, g := range groupNames() {
		if env := groups[g].Env; len(env) > 0 {
			fmt.Fprintf(w, "  %-10s %s\n", g, strings.Join(env, ", "))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Example:")
	fmt.Fprintln(w, "  invitekit fake &   # then paste the settings it prints")
	fmt.Fprintln(w, "  invitekit ivvy events --format json")
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Run invitekit <api> <command> --help for a command's flags.")
	fmt.Fprintln(w, exitCodes)
}

func printGroupHelp(w io.Writer, g *group) {
	if g.Summary != "" {
		fmt.Fprintln(w, g.Summary)
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w, "Usage:")
	fmt.Fprintf(w, "  invitekit %s <command> [flags]\n\n", g.Name)
	fmt.Fprintln(w, "Commands:")
	for _, n := range names(commands[g.Name]) {
		fmt.Fprintf(w, "  %-12s %s\n", n, commands[g.Name][n].Summary)
	}
	fmt.Fprintln(w)
	printGlobalFlags(w)
	printEnvList(w, g.Env)
	if cs := names(commands[g.Name]); len(cs) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Example:")
		fmt.Fprintf(w, "  invitekit %s %s --help\n", g.Name, cs[0])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, exitCodes)
}

func printGlobalFlags(w io.Writer) {
	fmt.Fprintln(w, "Global flags (accepted anywhere on the line):")
	for _, g := range globalFlags {
		fmt.Fprintf(w, "  %-14s %s\n", flagSynopsis(g.Name, g.Arg), g.Usage)
	}
}

func flagSynopsis(name, arg string) string {
	if arg == "" {
		return "--" + name
	}
	return "--" + name + " " + arg
}

// printEnvList prints the environment paragraph of a help page.
func printEnvList(w io.Writer, vars []string) {
	if len(vars) == 0 {
		return
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Environment (a flag overrides its variable):")
	for _, v := range vars {
		fmt.Fprintf(w, "  %-20s %s\n", v, envMeaning(v))
	}
}

func envMeaning(name string) string {
	for _, v := range environment {
		if v.Name == name {
			return v.Meaning
		}
	}
	return ""
}

func printEnvironment(w io.Writer) {
	fmt.Fprintln(w, "Environment variables read by invitekit. Settings come from a flag if given, else from")
	fmt.Fprintln(w, "the environment: flag > environment. Secrets (API secret, app code, passwords, client")
	fmt.Fprintln(w, "secrets) are best left in the environment; they never appear in output or errors.")
	fmt.Fprintln(w)
	for _, v := range environment {
		fmt.Fprintf(w, "  %-20s %s\n", v.Name, v.Meaning)
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Example:")
	fmt.Fprintln(w, "  IVVY_BASE_URL=http://127.0.0.1:8080 invitekit ivvy ping --base-url https://api.us-west-2.ivvy.com")
	fmt.Fprintln(w, "  (the flag wins: the ping goes to api.us-west-2.ivvy.com)")
}

// printCommandHelp is the --help page of a command.
func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintln(w, c.Summary)
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Usage:")
	usage := c.Usage
	if usage == "" {
		usage = "[flags]"
	}
	fmt.Fprintf(w, "  invitekit %s %s\n", c.path(), usage)
	if c.Description != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, strings.TrimSpace(c.Description))
	}
	var flags []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) { flags = append(flags, f) })
	if len(flags) > 0 {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Flags:")
		for _, f := range flags {
			arg, usage := flag.UnquoteUsage(f)
			switch {
			case isBoolFlag(f):
				arg = ""
			case arg == "string":
				arg = "VALUE"
			case arg == "int", arg == "int64", arg == "uint":
				arg = "N"
			case arg == "duration":
				arg = "D"
			}
			def := ""
			if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
				def = fmt.Sprintf(" (default %s)", f.DefValue)
			}
			fmt.Fprintf(w, "  %-24s %s%s\n", flagSynopsis(f.Name, arg), usage, def)
		}
	}
	fmt.Fprintln(w)
	printGlobalFlags(w)
	printEnvList(w, c.env())
	if c.Example != "" {
		fmt.Fprintln(w)
		fmt.Fprintln(w, "Example:")
		for _, l := range strings.Split(strings.TrimSpace(c.Example), "\n") {
			fmt.Fprintf(w, "  %s\n", strings.TrimSpace(l))
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, exitCodes)
}

func isBoolFlag(f *flag.Flag) bool {
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return ok && b.IsBoolFlag()
}

// flagSink is the output of every command's flag set: it keeps the flag
// package quiet (parseArgs reports errors itself, on one line) and carries
// the env to parseArgs.
type flagSink struct{ e *env }

func (flagSink) Write(p []byte) (int, error) { return len(p), nil }

// newFlags returns the flag set of the command called name ("ivvy invite").
func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(flagSink{e: e})
	fs.Usage = func() {}
	return fs
}

// parseFlags parses args; any argument that is not a flag is a usage error.
func parseFlags(fs *flag.FlagSet, args []string) error {
	rest, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError("%s: unexpected argument %q (see invitekit %s --help)", fs.Name(), rest[0], fs.Name())
	}
	return nil
}

// parseArgs parses args, flags and positional arguments in any order (after
// "--" everything is positional), and returns the positional arguments.
// --help prints the command's help page and returns flag.ErrHelp.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	sink, _ := fs.Output().(flagSink)
	if sink.e != nil && sink.e.probe != nil {
		*sink.e.probe = fs
		return nil, errProbed
	}
	var flags, positional []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			positional = append(positional, args[i+1:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		flags = append(flags, a)
		name, _, hasValue := strings.Cut(strings.TrimPrefix(a[1:], "-"), "=")
		if f := fs.Lookup(name); f != nil && !hasValue && !isBoolFlag(f) {
			if i+1 >= len(args) {
				return nil, usageError("%s: --%s needs a value (see invitekit %s --help)", fs.Name(), name, fs.Name())
			}
			i++
			flags = append(flags, args[i])
		}
	}
	err := fs.Parse(append(flags, "--"))
	switch {
	case errors.Is(err, flag.ErrHelp):
		if sink.e != nil {
			printCommandHelp(sink.e.Stdout, lookupCommand(fs.Name()), fs)
		}
		return nil, flag.ErrHelp
	case err != nil:
		return nil, usageError("%s: %s (see invitekit %s --help)", fs.Name(), flagErrorText(err), fs.Name())
	}
	return positional, nil
}

// flagErrorText rewrites the flag package's messages with -- flag names.
func flagErrorText(err error) string {
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		return "unknown flag --" + name
	}
	if name, ok := strings.CutPrefix(msg, "flag needs an argument: -"); ok {
		return "--" + name + " needs a value"
	}
	if rest, ok := strings.CutPrefix(msg, "invalid value "); ok {
		if v, f, ok := strings.Cut(rest, " for flag -"); ok {
			f, why, _ := strings.Cut(f, ": ")
			return fmt.Sprintf("--%s %s: %s", f, v, why)
		}
	}
	if rest, ok := strings.CutPrefix(msg, "invalid boolean value "); ok {
		if v, f, ok := strings.Cut(rest, " for -"); ok {
			f, _, _ = strings.Cut(f, ": ")
			return fmt.Sprintf("--%s=%s: want true or false", f, v)
		}
	}
	return msg
}

// lookupCommand finds a command by its path; an unknown path gets a bare
// command so that help still prints.
func lookupCommand(path string) *command {
	g, n, ok := strings.Cut(path, " ")
	if !ok {
		g, n = "", path
	}
	if c := commands[g][n]; c != nil {
		return c
	}
	return &command{Group: g, Name: n}
}

// commandFlags returns the flags a command declares, by running it with a
// probe that stops it at parseArgs.
func commandFlags(c *command) *flag.FlagSet {
	var fs *flag.FlagSet
	e := &env{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard,
		Getenv: func(string) string { return "" }, format: "table", probe: &fs}
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // a command that skipped parseArgs must not get far
	_ = c.Run(ctx, e, nil)
	if fs == nil {
		fs = flag.NewFlagSet(c.path(), flag.ContinueOnError)
	}
	return fs
}

// setting returns the flag value if set, else the environment variable.
func setting(e *env, flagValue, envName string) string {
	if flagValue != "" {
		return flagValue
	}
	return strings.TrimSpace(e.Getenv(envName))
}
