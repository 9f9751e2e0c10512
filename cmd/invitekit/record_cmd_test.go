package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
)

// --record saves the command's exchanges; fixtures check accepts them,
// and names the field of a recording broken on purpose.
func TestRecordThenFixturesCheck(t *testing.T) {
	_, environ := invitarioFake(t)
	dir := t.TempDir()
	code, out, errOut := runCLI(t, environ, "invitario", "guests", "--record", dir, "--record-mask-pii", "--check-spec")
	require.Equal(t, 0, code, errOut)
	require.NotEmpty(t, out)
	assert.Contains(t, errOut, "recorded 3 exchange(s) under "+dir)
	assert.NotContains(t, errOut, "departure")

	files, err := filepath.Glob(filepath.Join(dir, "invitario", "*", "*.json"))
	require.NoError(t, err)
	require.Len(t, files, 3, "login, guestListAll, logout")
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.NotContains(t, string(b), invitariofake.DemoAppCode)
	}

	code, out, errOut = runCLI(t, nil, "fixtures", "check", dir)
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "3 file(s), 3 OK, 0 breaking the spec")

	// Break the first guest's accessCode: a number where a string belongs.
	list := filepath.Join(dir, "invitario", "guestListAll", "1.json")
	var fx map[string]any
	raw, err := os.ReadFile(list)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &fx))
	guests := fx["response"].(map[string]any)["body"].(map[string]any)["guests"].([]any)
	guests[0].(map[string]any)["accessCode"] = 12345
	raw, err = json.Marshal(fx)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(list, raw, 0o644))

	code, out, _ = runCLI(t, nil, "fixtures", "check", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL  "+list+" (invitario guestListAll status 200)")
	assert.Contains(t, out, "response /guests/0/accessCode: type string")
	// The temporary folder's name has random digits of its own.
	assert.NotContains(t, strings.ReplaceAll(out, dir, "DIR"), "12345", "the value is not shown")

	code, out, _ = runCLI(t, nil, "fixtures", "check", "--format", "json", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, `"field": "/guests/0/accessCode"`)
}

func TestFixturesCheckUsage(t *testing.T) {
	code, _, errOut := runCLI(t, nil, "fixtures", "check")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "needs one or more directories")
	code, _, _ = runCLI(t, nil, "fixtures", "check", filepath.Join(t.TempDir(), "none"))
	assert.Equal(t, 1, code)
	code, _, errOut = runCLI(t, nil, "--record-mask-pii", "invitario", "guests")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--record-mask-pii needs --record DIR")
}

// --check-spec reports drift on stderr and leaves the exit status alone.
func TestCheckSpecReportsDrift(t *testing.T) {
	// count is -918273645, below the spec's minimum of 0: drift the client
	// itself does not mind, so the command succeeds with or without the flag.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/api/v1/login":
			_, _ = io.WriteString(w, `{"status":"success","sessionToken":"0123456789abcdef","stationName":"Gate","event":{"id":"E1","name":"X"}}`)
		case "/api/v1/logout":
			_, _ = io.WriteString(w, `{"status":"success"}`)
		default:
			guest := `{"id":"%s","accessCode":"A-%s","registrationState":"registered","fields":{},"companions":[],"checkInDateTime":null,"checkOutDateTime":null,"deleteDateTime":null,"clientUpdateDateTime":"2026-03-01T11:00:00+01:00","serverUpdateDateTime":null}`
			_, _ = io.WriteString(w, `{"status":"success","count":-918273645,"dateTime":"2026-03-01T12:00:00+01:00","guests":[`+
				fmt.Sprintf(guest, "g1", "1")+","+fmt.Sprintf(guest, "g2", "2")+`]}`)
		}
	}))
	defer srv.Close()
	environ := map[string]string{"INVITARIO_BASE_URL": srv.URL, "INVITARIO_EVENT_ID": "E1", "INVITARIO_API_KEY": "app-code", "INVITARIO_STATION": "Gate"}

	code, plain, errOut := runCLI(t, environ, "invitario", "guests")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, errOut, "spec drift", "no report without the flag")

	code, out, errOut := runCLI(t, environ, "invitario", "guests", "--check-spec")
	assert.Equal(t, 0, code, "the drift is reported, the exit status is the command's own: %s", errOut)
	assert.Equal(t, plain, out, "the output is the same")
	assert.Equal(t, 1, strings.Count(errOut, "spec drift"), errOut)
	assert.Contains(t, errOut, "field=/count")
	// The value itself is never echoed. It is long enough that no timestamp in
	// the log lines can contain it by chance.
	assert.NotContains(t, errOut, "918273645")
}

func TestSpecsAssumptions(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "specs", "assumptions")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Greater(t, len(lines), 1)
	assert.Regexp(t, `^api\s+location\s+reason`, lines[0])
	assert.Regexp(t, `^ivvy\s+/`, lines[1])

	code, out, _ = runCLI(t, nil, "specs", "assumptions", "--format", "json")
	require.Equal(t, 0, code)
	var list []map[string]string
	require.NoError(t, json.Unmarshal([]byte(out), &list))
	require.NotEmpty(t, list)
	for _, a := range list {
		assert.NotEmpty(t, a["api"])
		assert.True(t, strings.HasPrefix(a["location"], "/"), a["location"])
		assert.NotEmpty(t, a["reason"])
	}
}
