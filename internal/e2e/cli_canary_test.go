package e2e

import (
	"bytes"
	"context"
	"errors"
	"go/build"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
)

// buildCLI builds the invitekit command into a temporary directory.
func buildCLI(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(build.Default.GOROOT, "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "invitekit")
	cmd := exec.CommandContext(t.Context(), goTool, "build", "-o", bin, "github.com/invitekit/invitekit/cmd/invitekit")
	cmd.Dir = filepath.Join("..", "..")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// cliRun is one run of the command.
type cliRun struct {
	code           int
	stdout, stderr string
}

// runBinary runs the command with exactly the given environment.
func runBinary(ctx context.Context, bin string, environ map[string]string, args ...string) (cliRun, error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = []string{}
	for k, v := range environ {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	r := cliRun{stdout: out.String(), stderr: errOut.String()}
	var ee *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &ee):
		r.code = ee.ExitCode()
	default:
		return r, err
	}
	return r, nil
}

// cliCase is a command line and the environment it needs.
type cliCase struct {
	name string
	env  string // "ivvy", "invitario", "alida basic" or "alida oauth"
	args []string
}

func cliCases(stateFile string) []cliCase {
	open := alidafake.DemoOpenCommunication.String()
	return []cliCase{
		{"ivvy ping", "ivvy", []string{"ivvy", "ping"}},
		{"ivvy ping json", "ivvy", []string{"ivvy", "ping", "--format", "json"}},
		{"ivvy invite", "ivvy", []string{"ivvy", "invite", "--event", "1", "--contacts", "7,8,999", "--format", "json"}},
		{"ivvy events", "ivvy", []string{"ivvy", "events", "--format", "csv"}},
		{"ivvy invited", "ivvy", []string{"ivvy", "invited", "--event", "1"}},
		{"ivvy contacts", "ivvy", []string{"ivvy", "contacts", "--since", "2026-01-01T00:00:00Z", "--format", "json"}},
		{"ivvy attendees", "ivvy", []string{"ivvy", "attendees", "--event", "1", "--format", "json"}},
		{"invitario guests", "invitario", []string{"invitario", "guests"}},
		{"invitario guests since", "invitario", []string{"invitario", "guests", "--format", "json", "--since", "2020-01-01T00:00:00Z"}},
		{"invitario guests state", "invitario", []string{"invitario", "guests", "--format", "csv", "--state", stateFile}},
		{"invitario guests state again", "invitario", []string{"invitario", "guests", "--format", "json", "--state", stateFile}},
		{"invitario bad flag", "invitario", []string{"invitario", "guests", "--api-key", canaryAppCode, "--no-such-flag"}},
		{"alida queued basic", "alida basic", []string{"alida", "queued", "--after", "2020-01-01", "--format", "json"}},
		{"alida report basic", "alida basic", []string{"alida", "report", "--event-type", "SurveyInvited", "--communication", open,
			"--members", alidafake.DemoMembers["bob@example.com"].String(), "--format", "json"}},
		{"alida queued oauth", "alida oauth", []string{"alida", "queued", "--after", "2020-01-01"}},
		{"alida report oauth", "alida oauth", []string{"alida", "report", "--event-type", "Reminded", "--communication", open,
			"--members", alidafake.DemoMembers["bob@example.com"].String()}},
	}
}

// cliEnv returns the environment of a case against w; wrong selects the
// wrong credentials.
func cliEnv(w *canaryWorld, kind string, wrong bool) map[string]string {
	secret, appCode, password, clientSecret := canaryIvvySecret, canaryAppCode, canaryAlidaPassword, canaryAlidaClientSecret
	if wrong {
		secret, appCode, password, clientSecret = canaryIvvyWrongSecret, canaryWrongAppCode, canaryAlidaWrongPassword, canaryAlidaWrongSecret
	}
	switch kind {
	case "ivvy":
		return map[string]string{"IVVY_BASE_URL": w.url, "IVVY_API_KEY": canaryIvvyKey, "IVVY_API_SECRET": secret}
	case "invitario":
		return map[string]string{"INVITARIO_BASE_URL": w.url, "INVITARIO_EVENT_ID": invitariofake.DemoEventID,
			"INVITARIO_API_KEY": appCode, "INVITARIO_STATION": canaryStation}
	case "alida basic":
		return map[string]string{"ALIDA_BASE_URL": w.url, "ALIDA_COMMUNITY": alidafake.DemoCommunity,
			"ALIDA_USERNAME": canaryAlidaUser, "ALIDA_PASSWORD": password}
	case "alida oauth":
		return map[string]string{"ALIDA_BASE_URL": w.url, "ALIDA_COMMUNITY": alidafake.DemoCommunity,
			"ALIDA_CLIENT_ID": canaryAlidaClient, "ALIDA_CLIENT_SECRET": clientSecret}
	}
	panic("unknown environment " + kind)
}

// TestCanarySecretsNeverShowInCLI runs every command of the invitekit
// binary with canary credentials in its environment through successes,
// refused credentials, retries, a redirect to another host and an error
// page that echoes the request, and scans its stdout and stderr.
func TestCanarySecretsNeverShowInCLI(t *testing.T) {
	t.Parallel()
	bin := buildCLI(t)
	w := newCanaryWorld(t)
	ev := &evidence{}
	runs := map[string]map[string]cliRun{}
	echoing := map[string]bool{"echo": true, hostileJSON: true, hostilePage: true}
	for _, phase := range append(canaryPhases, "echo", hostileJSON, hostilePage) {
		w.phase(phase)
		runs[phase] = map[string]cliRun{}
		state := filepath.Join(t.TempDir(), "state.json")
		// The cases of one environment run in order (the state file's
		// runs depend on each other); the environments run side by side.
		byEnv := map[string][]cliCase{}
		for _, c := range cliCases(state) {
			byEnv[c.env] = append(byEnv[c.env], c)
		}
		var mu sync.Mutex
		var wg sync.WaitGroup
		for kind, cases := range byEnv {
			wg.Go(func() {
				for _, c := range cases {
					r, err := runBinary(t.Context(), bin, cliEnv(w, kind, phase == "errors"), c.args...)
					mu.Lock()
					runs[phase][c.name] = r
					mu.Unlock()
					if err != nil {
						t.Errorf("%s: invitekit %s: %v", phase, strings.Join(c.args, " "), err)
						continue
					}
					if echoing[phase] {
						// Scanned below, apart: see TestCanarySecretsNotEchoedFromErrorPages
						// and TestCanarySecretsNotEchoedByHostileServers.
						continue
					}
					where := phase + ": invitekit " + strings.Join(c.args, " ")
					ev.add(where+" stdout", r.stdout)
					ev.add(where+" stderr", r.stderr)
				}
			})
		}
		wg.Wait()
	}
	w.phase("success")

	// The phases did what they are for.
	ok := runs["success"]
	for _, name := range []string{"ivvy ping", "ivvy events", "invitario guests", "invitario guests state again", "alida queued basic", "alida queued oauth"} {
		assert.Zero(t, ok[name].code, "success phase: %s: %s", name, ok[name].stderr)
	}
	assert.Contains(t, ok["ivvy events"].stdout, "Product Launch 2026")
	assert.Equal(t, 2, ok["invitario bad flag"].code, "a usage error")
	for name, r := range runs["errors"] {
		assert.NotZero(t, r.code, "errors phase: %s succeeded with wrong credentials", name)
	}
	for name, r := range runs["redirect"] {
		if name == "invitario bad flag" {
			continue
		}
		assert.Equal(t, 1, r.code, "redirect phase: %s", name)
		assert.Contains(t, r.stderr, "refused redirect", "redirect phase: %s", name)
	}
	assert.Zero(t, w.otherHits.Load(), "nothing reaches the other host")
	assert.Zero(t, runs["retries"]["ivvy ping"].code, runs["retries"]["ivvy ping"].stderr)

	ev.scan(t, w.c)

	for phase := range echoing {
		t.Run(phase, func(t *testing.T) {
			var leaks []string
			failed := 0
			for name, r := range runs[phase] {
				if r.code != 0 {
					failed++
				}
				if found := w.c.find(r.stdout + r.stderr); len(found) > 0 {
					leaks = append(leaks, name+": "+strings.Join(found, ", "))
				}
			}
			assert.Empty(t, leaks)
			assert.Greater(t, failed, len(runs[phase])/2, "most commands fail against the echoing server")
		})
	}
	if r := runs[hostileJSON]["ivvy ping"]; assert.Equal(t, 1, r.code) {
		assert.Contains(t, r.stderr, "[redacted]", "the echo reached stderr, scrubbed")
	}
}
