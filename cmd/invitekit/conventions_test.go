package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake"
	"github.com/invitekit/invitekit/fake/alidafake"
)

// helpPages are the ways to ask for a command's help.
func helpPages(c *command) [][]string {
	path := strings.Fields(c.path())
	return [][]string{
		append(append([]string{}, path...), "--help"),
		append(append([]string{}, path...), "-h"),
		append([]string{"help"}, path...),
		append([]string{"--format", "json", "help"}, path...),
	}
}

func TestEveryCommandHasHelp(t *testing.T) {
	cmds := allCommands()
	require.NotEmpty(t, cmds)
	for _, c := range cmds {
		assert.NotEmpty(t, c.Summary, "%s: summary", c.path())
		assert.NotContains(t, c.Summary, "\n", "%s: the summary is one line", c.path())
		assert.NotEmpty(t, c.Example, "%s: example", c.path())
		for _, args := range helpPages(c) {
			code, out, errOut := runCLI(t, nil, args...)
			assert.Equal(t, 0, code, "%v: %s", args, errOut)
			assert.Empty(t, errOut, "%v", args)
			assert.True(t, strings.HasPrefix(out, c.Summary+"\n"), "%v starts with the summary: %q", args, out)
			for _, want := range []string{"Usage:\n  invitekit " + c.path(), "Example:\n  ", "Exit status: 0", "--format", "--verbose", "--timeout"} {
				assert.Contains(t, out, want, "%v", args)
			}
			for _, v := range c.env() {
				assert.Contains(t, out, v, "%v names the environment variable", args)
			}
			commandFlags(c).VisitAll(func(f *flag.Flag) {
				assert.Contains(t, out, "--"+f.Name, "%v lists its flags", args)
			})
		}
	}
	// The API commands read their API's variables.
	for api, vars := range map[string][]string{"ivvy": ivvyVars, "invitario": invitarioVars, "alida": alidaVars} {
		for _, c := range commands[api] {
			assert.Equal(t, vars, c.env(), c.path())
		}
	}
}

func TestGroupAndTopLevelHelp(t *testing.T) {
	for _, g := range groupNames() {
		for _, args := range [][]string{{g, "--help"}, {g, "-h"}, {g, "help"}, {"help", g}} {
			code, out, errOut := runCLI(t, nil, args...)
			require.Equal(t, 0, code, "%v: %s", args, errOut)
			for _, n := range names(commands[g]) {
				assert.Contains(t, out, n, "%v", args)
			}
			for _, v := range groups[g].Env {
				assert.Contains(t, out, v, "%v", args)
			}
			assert.Contains(t, out, "Exit status")
			assert.Contains(t, out, "Example:")
		}
		code, out, errOut := runCLI(t, nil, g)
		assert.Equal(t, 2, code, "a group without a command is a usage error")
		assert.Contains(t, out, "Commands:")
		assert.Contains(t, errOut, "needs a command")
	}
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		code, out, errOut := runCLI(t, nil, args...)
		require.Equal(t, 0, code, errOut)
		for _, c := range allCommands() {
			assert.Contains(t, out, c.path())
		}
		for _, v := range environment {
			if !strings.HasSuffix(v.Name, "_TOKEN_URL") { // listed under its group
				assert.Contains(t, out, v.Name)
			}
		}
		assert.Contains(t, out, "Exit status: 0 success, 1 failure")
		assert.Contains(t, out, "--format")
	}
	code, _, errOut := runCLI(t, nil, "help", "ivvy", "nosuch")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "nosuch"`)
}

func TestHelpEnvironment(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "help", "environment")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "flag > environment")
	named := map[string]bool{}
	for _, v := range environment {
		named[v.Name] = true
		assert.Contains(t, out, v.Name)
	}
	// Every variable a command reads is listed, and the README lists them all.
	for _, c := range allCommands() {
		for _, v := range c.env() {
			assert.True(t, named[v], "%s reads %s, which help environment does not list", c.path(), v)
		}
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	for _, v := range environment {
		assert.Contains(t, string(readme), v.Name, "README")
	}
	assert.Contains(t, string(readme), "flag > environment")
}

func TestBadFlagIsOneLineNamingIt(t *testing.T) {
	for _, c := range allCommands() {
		args := append(strings.Fields(c.path()), "--no-such-flag")
		code, out, errOut := runCLI(t, nil, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Empty(t, out, "%v", args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%v: one line: %q", args, errOut)
		assert.Contains(t, errOut, "--no-such-flag", "%v", args)
		assert.Contains(t, errOut, "invitekit "+c.path()+" --help", "%v: the usage hint", args)
	}
	code, _, errOut := runCLI(t, nil, "ivvy", "invite", "--chunk-size", "many")
	assert.Equal(t, 2, code)
	assert.Equal(t, `invitekit: ivvy invite: --chunk-size "many": parse error (see invitekit ivvy invite --help)`+"\n", errOut)
	code, _, errOut = runCLI(t, ivvyEnv("http://127.0.0.1:1"), "ivvy", "ping", "--region", "au", "--base-url", "http://127.0.0.1:1")
	assert.Equal(t, 2, code, "contradicting flags")
	assert.Contains(t, errOut, "--base-url or --region, not both")
	code, _, errOut = runCLI(t, nil, "ivvy", "invite", "--event")
	assert.Equal(t, 2, code)
	assert.Equal(t, "invitekit: ivvy invite: --event needs a value (see invitekit ivvy invite --help)\n", errOut)
}

func TestFlagsAnywhereOnTheLine(t *testing.T) {
	var data string
	var verbose bool
	fs := newFlags(&env{}, "ivvy call")
	fs.StringVar(&data, "data", "", "")
	fs.BoolVar(&verbose, "quiet", false, "")
	rest, err := parseArgs(fs, []string{"event", "--data", `{"eventId":1}`, "getEvent", "--quiet", "--", "--not-a-flag", "-"})
	require.NoError(t, err)
	assert.Equal(t, []string{"event", "getEvent", "--not-a-flag", "-"}, rest)
	assert.Equal(t, `{"eventId":1}`, data)
	assert.True(t, verbose)

	_, base := fakeServer(t)
	environ := ivvyEnv(base)
	lines := [][]string{
		{"--format", "csv", "ivvy", "invited", "--event", "1"},
		{"ivvy", "--format", "csv", "invited", "--event", "1"},
		{"ivvy", "invited", "--event", "1", "--format=csv"},
		{"ivvy", "invited", "--format", "csv", "--event=1"},
	}
	var first string
	for i, args := range lines {
		code, out, errOut := runCLI(t, environ, args...)
		require.Equal(t, 0, code, "%v: %s", args, errOut)
		if i == 0 {
			first = out
			assert.True(t, strings.HasPrefix(out, "contact,first_name,"), out)
			continue
		}
		assert.Equal(t, first, out, "%v", args)
	}
	for _, args := range [][]string{{"--verbose", "ivvy", "ping"}, {"ivvy", "ping", "--verbose"}, {"ivvy", "--verbose", "ping"}} {
		code, _, errOut := runCLI(t, environ, args...)
		require.Equal(t, 0, code, errOut)
		assert.Regexp(t, `(?m)^invitekit: http ping 200 in \S+ \(attempt 1\)$`, errOut, "%v", args)
	}
}

func TestVerboseLinePerAttemptWithoutSecrets(t *testing.T) {
	set, base := fakeServer(t)
	environ := ivvyEnv(base)
	code, _, errOut := runCLI(t, environ, "ivvy", "invite", "--event", "1", "--contacts", "1,2,3", "--chunk-size", "2", "--verbose")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
	require.Len(t, lines, 2, "one line per attempt: %q", errOut)
	for _, l := range lines {
		assert.Regexp(t, `^invitekit: http inviteContacts 200 in \d+(\.\d+)?(ns|µs|ms|s) \(attempt 1\)$`, l)
	}
	assert.NotContains(t, errOut, fake.IvvySecret)
	assert.Equal(t, 2, set.Ivvy.Calls("inviteContacts"))

	// A refused attempt says so; neither key nor password appear.
	al := alidaBasicEnv(base)
	al["ALIDA_PASSWORD"] = "canary-wrong-password"
	code, _, errOut = runCLI(t, al, "--verbose", "alida", "queued", "--after", "2020-01-01")
	assert.Equal(t, 1, code)
	assert.Regexp(t, `(?m)^invitekit: http \w+ 401 in \S+ \(attempt 1\)$`, errOut)
	assert.NotContains(t, errOut, "canary-wrong-password")

	// Without --verbose, nothing.
	code, _, errOut = runCLI(t, environ, "ivvy", "ping")
	require.Equal(t, 0, code)
	assert.Empty(t, errOut)
}

func TestVersion(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		code, out, errOut := runCLI(t, nil, args...)
		require.Equal(t, 0, code, errOut)
		assert.Regexp(t, `^invitekit \S+.* go\S+\n$`, out, "%v", args)
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Path: "github.com/invitekit/invitekit", Version: "v1.2.3"},
		Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.modified", Value: "true"}}}
	assert.Equal(t, "invitekit v1.2.3 commit 0123456789ab (modified) go1.26.0", versionLine(bi, true))
	bi.Settings = nil
	assert.Equal(t, "invitekit v1.2.3 go1.26.0", versionLine(bi, true))
	assert.Regexp(t, `^invitekit \(unknown\) go`, versionLine(nil, false))
}

func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		code, out, errOut := runCLI(t, nil, "completion", shell)
		require.Equal(t, 0, code, errOut)
		flagPrefix := "--"
		if shell == "fish" {
			flagPrefix = "-l "
		}
		for _, want := range []string{"ivvy", "invitario", "alida", "invited", flagPrefix + "event", flagPrefix + "dry-run",
			flagPrefix + "contacts-file", flagPrefix + "format", flagPrefix + "verbose"} {
			assert.Contains(t, out, want, shell)
		}
		if shell == "bash" {
			if _, err := exec.LookPath("bash"); err == nil {
				script := out + "\nCOMP_WORDS=(invitekit ivvy inv); COMP_CWORD=2; _invitekit; echo \"${COMPREPLY[*]}\"" +
					"\nCOMP_WORDS=(invitekit ivvy invite --ev); COMP_CWORD=3; _invitekit; echo \"${COMPREPLY[*]}\"" +
					"\nCOMP_WORDS=(invitekit de); COMP_CWORD=1; _invitekit; echo \"${COMPREPLY[*]}\"\n"
				cmd := exec.Command("bash", "--norc", "--noprofile")
				cmd.Stdin = strings.NewReader("complete() { :; }\n" + script)
				got, err := cmd.CombinedOutput()
				require.NoError(t, err, string(got))
				assert.Equal(t, "invite invited\n--event\ndemo\n", string(got))
			}
		}
	}
	code, _, errOut := runCLI(t, nil, "completion", "tcsh")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "tcsh")
	code, _, _ = runCLI(t, nil, "completion")
	assert.Equal(t, 2, code)
}

// countingServer serves the demo fakes and counts the requests that reach it.
func countingServer(t *testing.T) (string, *atomic.Int32) {
	t.Helper()
	set := fake.Demo()
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		set.Handler().ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL, &n
}

func TestDryRunSendsNothing(t *testing.T) {
	base, hits := countingServer(t)
	environ := ivvyEnv(base)
	code, out, errOut := runCLI(t, environ, "ivvy", "invite", "--event", "4", "--contacts", "1,2,3", "--dry-run")
	require.Equal(t, 0, code, errOut)
	assert.Zero(t, hits.Load(), "nothing was sent")
	assert.True(t, strings.HasPrefix(out, "POST "+base+"/api/1.0/event?action=inviteContacts\n"), out)
	assert.Contains(t, out, "\n  \"event\": 4", "the body, indented")
	assert.Contains(t, errOut, "dry run: 1 request not sent")

	code, _, errOut = runCLI(t, environ, "ivvy", "invite", "--event", "4", "--contacts", "1", "--dry-run", "--verbose")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "invitekit: http inviteContacts not sent (dry run) in ")
	assert.NotContains(t, out+errOut, fake.IvvySecret)
	assert.NotContains(t, out+errOut, fake.IvvyKey, "no credentials")

	// In chunks, as JSON: one record per request, in order.
	code, out, errOut = runCLI(t, environ, "ivvy", "invite", "--event", "4", "--contacts", "1,2,3,4,5", "--chunk-size", "2", "--dry-run", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var reqs []struct {
		Method string `json:"method"`
		URL    string `json:"url"`
		Body   struct {
			EventID    int64   `json:"event"`
			ContactIDs []int64 `json:"contacts"`
		} `json:"body"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &reqs), out)
	require.Len(t, reqs, 3)
	for i, want := range [][]int64{{1, 2}, {3, 4}, {5}} {
		assert.Equal(t, "POST", reqs[i].Method)
		assert.Equal(t, int64(4), reqs[i].Body.EventID)
		assert.Equal(t, want, reqs[i].Body.ContactIDs)
	}
	assert.Zero(t, hits.Load(), "nothing was sent")

	// Alida, with Basic and with OAuth2 (no token is fetched either).
	member := alidafake.DemoMembers["alice@example.com"].String()
	comm := alidafake.DemoOpenCommunication.String()
	for _, environ := range []map[string]string{alidaBasicEnv(base), alidaOAuthEnv(base)} {
		code, out, errOut := runCLI(t, environ, "alida", "report", "--event-type", "SurveyInvited", "--communication", comm,
			"--members", member, "--dry-run")
		require.Equal(t, 0, code, errOut)
		assert.Regexp(t, `^POST `+regexp.QuoteMeta(base)+`/v1/applications/`+alidafake.DemoCommunity+`/\S+\n`, out)
		assert.Contains(t, out, member)
		assert.Contains(t, out, "SurveyInvited")
		for _, secret := range []string{alidafake.DemoPassword, alidafake.DemoClientSecret} {
			assert.NotContains(t, out+errOut, secret)
		}
	}
	assert.Zero(t, hits.Load(), "nothing was sent")

	// ivvy call on an action that changes state (and on one that is safe
	// to repeat: one request printed, not one per attempt).
	code, out, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "contact", "addOrUpdateContact",
		"--data", `{"firstName":"Ada","lastName":"Lovelace","email":"ada@example.com"}`, "--dry-run")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasPrefix(out, "POST "+base+"/api/1.0/contact?action=addOrUpdateContact\n"), out)
	assert.Contains(t, out, `"firstName": "Ada"`)
	assert.NotContains(t, out+errOut, fake.IvvySecret)
	code, out, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "event", "getEvent", "--data", `{"id":1}`, "--dry-run", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var one []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &one), out)
	assert.Len(t, one, 1)
	assert.Zero(t, hits.Load(), "nothing was sent")

	// The same command without --dry-run does send: the counter works.
	code, _, errOut = runCLI(t, environ, "ivvy", "invite", "--event", "1", "--contacts", "1")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, int32(1), hits.Load())
}

// listCommands are the list commands run by the convention tests, with
// the environment they need.
func listCommands(t *testing.T) map[string]struct {
	environ map[string]string
	args    []string
} {
	_, base := fakeServer(t)
	_, inv := invitarioFake(t)
	type lc = struct {
		environ map[string]string
		args    []string
	}
	return map[string]lc{
		"ivvy events":      {ivvyEnv(base), []string{"ivvy", "events"}},
		"ivvy invited":     {ivvyEnv(base), []string{"ivvy", "invited", "--event", "1"}},
		"ivvy contacts":    {ivvyEnv(base), []string{"ivvy", "contacts", "--since", "2020-01-01"}},
		"ivvy attendees":   {ivvyEnv(base), []string{"ivvy", "attendees", "--event", "1"}},
		"ivvy invite":      {ivvyEnv(base), []string{"ivvy", "invite", "--event", "1", "--contacts", "1,2"}},
		"invitario guests": {inv, []string{"invitario", "guests", "--since", "2020-01-01T00:00:00+02:00"}},
		"alida queued":     {alidaBasicEnv(base), []string{"alida", "queued", "--after", "2020-01-01"}},
		"alida report": {alidaBasicEnv(base), []string{"alida", "report", "--event-type", "SurveyInvited",
			"--communication", alidafake.DemoOpenCommunication.String(), "--members", alidafake.DemoMembers["bob@example.com"].String()}},
	}
}

var (
	snakeCase = regexp.MustCompile(`^[a-z][a-z0-9]*(_[a-z0-9]+)*$`)
	timeLike  = regexp.MustCompile(`^\d{4}-\d\d-\d\d[T ]`)
)

func TestOneOutputConventionAcrossCommands(t *testing.T) {
	for name, c := range listCommands(t) {
		// Columns: snake_case; time cells: RFC 3339.
		code, out, errOut := runCLI(t, c.environ, append(append([]string{}, c.args...), "--format", "csv")...)
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
		require.NoError(t, err, name)
		require.NotEmpty(t, recs, name)
		for _, h := range recs[0] {
			assert.Regexp(t, snakeCase, h, "%s: column %q", name, h)
		}
		require.Greater(t, len(recs), 1, "%s lists something", name)
		for _, r := range recs[1:] {
			for i, cell := range r {
				if timeLike.MatchString(cell) {
					_, err := time.Parse(time.RFC3339Nano, cell)
					assert.NoError(t, err, "%s: column %s holds a time that is not RFC 3339", name, recs[0][i])
				}
			}
		}

		// JSON: one array of objects, HTML characters as they are.
		code, out, errOut = runCLI(t, c.environ, append(append([]string{}, c.args...), "--format", "json")...)
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		var items []map[string]any
		require.NoError(t, json.Unmarshal([]byte(out), &items), "%s: the JSON is one array of objects: %s", name, out)
		assert.Len(t, items, len(recs)-1, "%s: as many items as rows", name)
		assert.NotContains(t, out, `\u0026`, name)
		assert.NotContains(t, out, `\u003c`, name)

		// JSONL: the same objects, one per line.
		code, out, errOut = runCLI(t, c.environ, append(append([]string{}, c.args...), "--format", "jsonl")...)
		require.Equal(t, 0, code, "%s: %s", name, errOut)
		lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
		assert.Len(t, lines, len(items), name)
		for _, l := range lines {
			var m map[string]any
			assert.NoError(t, json.Unmarshal([]byte(l), &m), "%s: %s", name, l)
		}
	}
	// The invitation links, which hold &, come out unescaped.
	_, base := fakeServer(t)
	_, out, _ := runCLI(t, ivvyEnv(base), "ivvy", "invite", "--event", "1", "--contacts", "1", "--format", "json")
	assert.Contains(t, out, "&response=yes")
}

func TestSameFlagNamesAcrossCommands(t *testing.T) {
	stateChanging := map[string]bool{"ivvy invite": true, "alida report": true, "ivvy call": true}
	for _, c := range allCommands() {
		fs := commandFlags(c)
		for _, old := range []string{"event-id", "modified-since", "format", "verbose", "timeout", "csv-raw"} {
			assert.Nil(t, fs.Lookup(old), "%s: --%s (the global flag or the common name serves)", c.path(), old)
		}
		if f := fs.Lookup("event"); f != nil {
			_, isString := f.Value.(flag.Getter).Get().(string)
			assert.True(t, isString, "%s: --event takes the id as given, the same type everywhere", c.path())
		}
		if fs.Lookup("dry-run") != nil {
			assert.True(t, stateChanging[c.path()], "%s has --dry-run but changes nothing", c.path())
		}
	}
	for _, path := range []string{"ivvy invite", "alida report"} {
		c := lookupCommand(path)
		assert.NotNil(t, commandFlags(c).Lookup("dry-run"), "%s changes state and takes --dry-run", path)
	}
	for _, path := range []string{"ivvy invited", "ivvy attendees", "ivvy invite", "invitario guests"} {
		assert.NotNil(t, commandFlags(lookupCommand(path)).Lookup("event"), "%s names its event with --event", path)
	}
	// Every time flag takes RFC 3339 or a date.
	_, base := fakeServer(t)
	_, inv := invitarioFake(t)
	for _, c := range []struct {
		environ map[string]string
		args    []string
	}{
		{ivvyEnv(base), []string{"ivvy", "contacts", "--since"}},
		{inv, []string{"invitario", "guests", "--since"}},
		{alidaBasicEnv(base), []string{"alida", "queued", "--after"}},
	} {
		for _, v := range []string{"2026-03-01", "2026-03-01T18:30:00+01:00", "2026-03-01T17:30:00Z"} {
			code, _, errOut := runCLI(t, c.environ, append(append([]string{}, c.args...), v)...)
			assert.Equal(t, 0, code, "%v %s: %s", c.args, v, errOut)
		}
		code, _, errOut := runCLI(t, c.environ, append(append([]string{}, c.args...), "yesterday")...)
		assert.Equal(t, 2, code)
		assert.Contains(t, errOut, "RFC 3339")
		assert.Contains(t, errOut, "a date")
	}
}

func TestListProgressOnlyOnATerminal(t *testing.T) {
	for _, c := range []struct {
		stderrTTY, stdoutTTY bool
		want                 string
	}{
		{true, false, "\rinvitekit: 100 listed\rinvitekit: 200 listed\rinvitekit: 250 listed\n"},
		{false, false, ""},
		{true, true, ""}, // the rows on the terminal are the progress
	} {
		var out, errOut bytes.Buffer
		e := &env{Stdout: &out, Stderr: &errOut, StderrIsTerminal: c.stderrTTY, StdoutIsTerminal: c.stdoutTTY}
		l := newListOut(e, "csv", []column{own("n")})
		for i := range 250 {
			require.NoError(t, l.add([]string{string(rune('a' + i%26))}, nil))
		}
		require.NoError(t, l.finish())
		assert.Equal(t, c.want, errOut.String())
		assert.Equal(t, 251, strings.Count(out.String(), "\n"))
	}
}

func TestFakePrintsEverySettingTheDemoNeeds(t *testing.T) {
	var out bytes.Buffer
	printFakeSettings(&env{Stdout: &out}, "http://127.0.0.1:8080")
	for _, want := range append(append(append([]string{}, ivvyVars...), invitarioVars...), alidaVars...) {
		assert.Contains(t, out.String(), want+"=")
	}
	for _, want := range []string{alidafake.DemoCommunity, alidafake.DemoOpenCommunication.String(), alidafake.DemoClosedCommunication.String()} {
		assert.Contains(t, out.String(), want)
	}
	for email, id := range alidafake.DemoMembers {
		assert.Contains(t, out.String(), id.String()+" "+email)
	}
	assert.Contains(t, out.String(), "invitekit alida report --event-type SurveyInvited --communication "+alidafake.DemoOpenCommunication.String())
}

func TestDemoHelpSaysWhatItDoes(t *testing.T) {
	code, out, _ := runCLI(t, nil, "demo", "--help")
	require.Equal(t, 0, code)
	for _, want := range []string{"iVvy", "Invitario", "Alida", "in-process", "check", "summary"} {
		assert.Contains(t, out, want)
	}
}

// roundTripFunc adapts a function to http.RoundTripper.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransportLayersReachEveryClient(t *testing.T) {
	_, base := fakeServer(t)
	_, inv := invitarioFake(t)
	environ := map[string]string{}
	for _, m := range []map[string]string{ivvyEnv(base), inv, alidaBasicEnv(base)} {
		for k, v := range m {
			environ[k] = v
		}
	}
	for _, args := range [][]string{{"ivvy", "ping"}, {"invitario", "guests"}, {"alida", "queued", "--after", "2020-01-01"}} {
		var seen atomic.Int32
		var out, errOut bytes.Buffer
		e := &env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return environ[k] }}
		e.wrapTransport(func(next http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				seen.Add(1)
				return next.RoundTrip(r)
			})
		})
		require.Equal(t, 0, run(t.Context(), e, args), errOut.String())
		assert.Positive(t, seen.Load(), "%v went through the layer", args)
	}
}
