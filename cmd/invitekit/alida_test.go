package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
)

// alidaServer serves a demo Alida fake for one test.
func alidaServer(t *testing.T) (*alidafake.Server, string) {
	t.Helper()
	f := alidafake.Demo()
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	return f, srv.URL
}

func alidaBasicEnv(base string) map[string]string {
	return map[string]string{
		"ALIDA_BASE_URL":  base,
		"ALIDA_COMMUNITY": alidafake.DemoCommunity,
		"ALIDA_USERNAME":  alidafake.DemoUsername,
		"ALIDA_PASSWORD":  alidafake.DemoPassword,
	}
}

func alidaOAuthEnv(base string) map[string]string {
	return map[string]string{
		"ALIDA_BASE_URL":      base,
		"ALIDA_COMMUNITY":     alidafake.DemoCommunity,
		"ALIDA_CLIENT_ID":     alidafake.DemoClientID,
		"ALIDA_CLIENT_SECRET": alidafake.DemoClientSecret,
	}
}

var (
	alidaAlice = alidafake.DemoMembers["alice@example.com"].String()
	alidaBob   = alidafake.DemoMembers["bob@example.com"].String()
	alidaOpen  = alidafake.DemoOpenCommunication.String()
)

func TestAlidaReportMembersBasic(t *testing.T) {
	f, base := alidaServer(t)
	code, out, errOut := runCLI(t, alidaBasicEnv(base), "alida", "report",
		"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice+","+alidaBob)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, alidaAlice)
	assert.Contains(t, out, "created")
	assert.Len(t, f.Events(alidafake.DemoCommunity), 2)

	// Reported again: the members are no longer queued.
	code, out, errOut = runCLI(t, alidaBasicEnv(base), "alida", "report", "--format", "json",
		"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice)
	require.Equal(t, 0, code, errOut)
	var rows []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &rows), out)
	require.Len(t, rows, 1)
	assert.Equal(t, "not queued", rows[0]["result"])
	assert.Equal(t, "invitation", rows[0]["kind"])
}

func TestAlidaReportFileOAuthWithReminders(t *testing.T) {
	f, base := alidaServer(t)
	dir := t.TempDir()
	path := filepath.Join(dir, "events.csv")
	csv := "memberId,communicationId,eventType\n" +
		alidaAlice + "," + alidaOpen + ",SurveyInvited\n" +
		alidaBob + ",,Undeliverable\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	code, out, errOut := runCLI(t, alidaOAuthEnv(base), "alida", "report", "--communication", alidaOpen, "--file", path, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 3, out)
	assert.True(t, strings.HasPrefix(lines[1], "line 2,"+alidaAlice), lines[1])
	assert.Contains(t, lines[2], "Undeliverable")
	assert.Equal(t, 1, f.TokenRequests())

	// A reminder for alice (invited above) from stdin, positional columns.
	code, out, errOut = runCLIStdin(t, alidaAlice+","+alidaOpen+",Reminded\n", alidaOAuthEnv(base), "alida", "report", "--file", "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "reminder")
	assert.Contains(t, out, "created")
	assert.Len(t, f.Events(alidafake.DemoCommunity), 3)
}

func TestAlidaReportMalformedFileSendsNothing(t *testing.T) {
	f, base := alidaServer(t)
	path := filepath.Join(t.TempDir(), "bad.csv")
	csv := "memberId,eventType\n" +
		alidaAlice + ",SurveyInvited\n" +
		"not-a-guid,SurveyInvited\n" +
		alidaBob + ",Opened\n" +
		"\n" +
		"{" + alidaBob + "},SurveyInvited\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	code, out, errOut := runCLI(t, alidaBasicEnv(base), "alida", "report", "--communication", alidaOpen, "--file", path)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "line 3: memberId")
	assert.Contains(t, errOut, `line 4: eventType "Opened"`)
	assert.Contains(t, errOut, "line 6: memberId")
	assert.NotContains(t, errOut, "line 2:")
	assert.Contains(t, errOut, "3 problems; nothing was sent")
	assert.Zero(t, f.Calls("createInvitationEvents"))
	assert.Empty(t, f.Events(alidafake.DemoCommunity))
}

func TestAlidaReportUsageErrors(t *testing.T) {
	_, base := alidaServer(t)
	environ := alidaBasicEnv(base)
	for name, args := range map[string][]string{
		"no source":      {"--event-type", "SurveyInvited", "--communication", alidaOpen},
		"both sources":   {"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice, "--file", "x.csv"},
		"bad event type": {"--event-type", "Opened", "--communication", alidaOpen, "--members", alidaAlice},
		"bad comm":       {"--event-type", "SurveyInvited", "--communication", "nope", "--members", alidaAlice},
		"bad member":     {"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice + ",xyz"},
		"no event type":  {"--communication", alidaOpen, "--members", alidaAlice},
		"bad format":     {"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice, "--format", "xml"},
		"missing file":   {"--event-type", "SurveyInvited", "--communication", alidaOpen, "--file", filepath.Join(t.TempDir(), "none.csv")},
		"bad chunk size": {"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice, "--chunk-size", "0"},
		"stray argument": {"--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice, "extra"},
	} {
		code, _, errOut := runCLI(t, environ, append([]string{"alida", "report"}, args...)...)
		assert.Equal(t, 2, code, "%s: %s", name, errOut)
		assert.Contains(t, errOut, "invitekit: ", name)
	}
}

func TestAlidaSettings(t *testing.T) {
	_, base := alidaServer(t)
	args := []string{"alida", "queued", "--after", "2020-01-01"}

	code, _, errOut := runCLI(t, map[string]string{}, args...)
	assert.Equal(t, 2, code)
	for _, want := range []string{"ALIDA_COMMUNITY", "ALIDA_BASE_URL", "credentials"} {
		assert.Contains(t, errOut, want)
	}

	both := alidaBasicEnv(base)
	for k, v := range alidaOAuthEnv(base) {
		both[k] = v
	}
	code, _, errOut = runCLI(t, both, args...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not both")

	half := alidaBasicEnv(base)
	delete(half, "ALIDA_PASSWORD")
	code, _, errOut = runCLI(t, half, args...)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "ALIDA_PASSWORD")

	code, _, errOut = runCLI(t, alidaBasicEnv(base), "alida", "queued", "--after", "2020-01-01", "--region", "Not A Region")
	assert.Equal(t, 2, code, errOut)

	code, _, errOut = runCLI(t, alidaBasicEnv(base), "alida", "queued", "--after", "2020-01-01", "--region", "na1", "--base-url", base)
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, "not both")

	code, _, errOut = runCLI(t, alidaBasicEnv("http://127.0.0.1:1"), "alida", "queued", "--after", "2020-01-01", "--base-url", base)
	assert.Equal(t, 0, code, errOut)
}

func TestAlidaWrongSecretsNeverPrinted(t *testing.T) {
	_, base := alidaServer(t)
	basic := alidaBasicEnv(base)
	basic["ALIDA_PASSWORD"] = "canary-password-77"
	oauth := alidaOAuthEnv(base)
	oauth["ALIDA_CLIENT_SECRET"] = "canary-secret-88"
	for _, environ := range []map[string]string{basic, oauth} {
		for _, args := range [][]string{
			{"alida", "queued", "--after", "2020-01-01"},
			{"alida", "report", "--event-type", "SurveyInvited", "--communication", alidaOpen, "--members", alidaAlice},
		} {
			code, out, errOut := runCLI(t, environ, args...)
			assert.Equal(t, 1, code, "%v: %s", args, errOut)
			assert.Contains(t, errOut, "401")
			assert.NotContains(t, out+errOut, "canary-")
		}
	}
}

func TestAlidaReportClosedCommunicationFails(t *testing.T) {
	_, base := alidaServer(t)
	code, out, errOut := runCLI(t, alidaBasicEnv(base), "alida", "report",
		"--event-type", "SurveyInvited", "--communication", alidafake.DemoClosedCommunication.String(), "--members", alidaAlice)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "closed")
	assert.Contains(t, errOut, "errorId")
	assert.Contains(t, out, "failed")
}

func TestAlidaQueued(t *testing.T) {
	_, base := alidaServer(t)
	code, out, errOut := runCLI(t, alidaOAuthEnv(base), "alida", "queued", "--after", "2020-01-01", "--page-size", "3")
	require.Equal(t, 0, code, errOut)
	for _, email := range []string{"alice@example.com", "bob@example.com", "carol@example.com", "dave@example.com"} {
		assert.Contains(t, out, alidafake.DemoMembers[email].String())
	}
	assert.Contains(t, out, "Tell us about the launch event")

	code, out, errOut = runCLI(t, alidaBasicEnv(base), "alida", "queued", "--after", "2020-01-01T00:00:00Z", "--format", "json", "--limit", "2")
	require.Equal(t, 0, code, errOut)
	var events []map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &events), out)
	assert.Len(t, events, 2)

	code, out, errOut = runCLI(t, alidaBasicEnv(base), "alida", "queued", "--after", "2999-01-01", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.JSONEq(t, "[]", out)

	for _, bad := range [][]string{{}, {"--after", "yesterday"}, {"--after", "2020-01-01", "--page-size", "5000"}} {
		code, _, errOut = runCLI(t, alidaBasicEnv(base), append([]string{"alida", "queued"}, bad...)...)
		assert.Equal(t, 2, code, "%v: %s", bad, errOut)
	}
}

func TestAlidaQueuedRepeatedPageExitsOneAfterPrinting(t *testing.T) {
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n > 10 {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"items":[{"memberId":%q,"title":"same"}],"links":[{"rel":"next","href":"%s%s?offset=%d"}]}`,
			alidaAlice, srv.URL, r.URL.Path, n)
	}))
	t.Cleanup(srv.Close)
	code, out, errOut := runCLI(t, alidaBasicEnv(srv.URL), "alida", "queued", "--after", "2020-01-01", "--format", "csv")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "repeats the previous page")
	assert.Contains(t, errOut, "offset=1")
	header, rows := csvRecords(t, out)
	require.Len(t, rows, 1, "the first page was printed")
	assert.Equal(t, alidaAlice, rowWith(t, header, rows, "title", "same")["member_id"])
	assert.Equal(t, int32(2), calls.Load())
}

func TestAlidaReportAcceptsAByteOrderMark(t *testing.T) {
	f, base := alidaServer(t)
	path := filepath.Join(t.TempDir(), "excel.csv")
	csv := "\ufeffmemberId,eventType\r\n" + alidaAlice + ",SurveyInvited\r\n" + alidaBob + ",SurveyInvited\r\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	code, out, errOut := runCLI(t, alidaBasicEnv(base), "alida", "report", "--communication", alidaOpen, "--file", path, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	header, rows := csvRecords(t, out)
	require.Len(t, rows, 2)
	assert.Equal(t, alidaAlice, rowWith(t, header, rows, "source", "line 2")["member_id"])
	assert.Equal(t, alidaBob, rowWith(t, header, rows, "source", "line 3")["member_id"])
	assert.Len(t, f.Events(alidafake.DemoCommunity), 2)

	// Without a header row, the mark must not spoil the first GUID.
	code, _, errOut = runCLIStdin(t, "\ufeff"+alidaAlice+","+alidaOpen+",Reminded\n", alidaBasicEnv(base), "alida", "report", "--file", "-")
	require.Equal(t, 0, code, errOut)
}

func TestAlidaReportRefusesDuplicateRows(t *testing.T) {
	f, base := alidaServer(t)
	path := filepath.Join(t.TempDir(), "dup.csv")
	csv := "memberId,eventType\n" +
		alidaAlice + ",SurveyInvited\n" +
		alidaBob + ",SurveyInvited\n" +
		alidaAlice + ",Undeliverable\n" +
		"# a comment\n" +
		alidaBob + ",SurveyInvited\n" +
		alidaAlice + ",SurveyInvited\n"
	require.NoError(t, os.WriteFile(path, []byte(csv), 0o600))
	code, out, errOut := runCLI(t, alidaBasicEnv(base), "alida", "report", "--communication", alidaOpen, "--file", path)
	assert.Equal(t, 2, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "lines 3 and 6 are the same event")
	assert.Contains(t, errOut, "lines 2 and 7 are the same event")
	assert.NotContains(t, errOut, "line 4")
	assert.Contains(t, errOut, "nothing was sent")
	assert.Zero(t, f.Calls("createInvitationEvents"))

	code, _, errOut = runCLI(t, alidaBasicEnv(base), "alida", "report", "--event-type", "SurveyInvited", "--communication", alidaOpen,
		"--members", alidaAlice+","+alidaBob+","+alidaAlice)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "items 1 and 3 are the same event")
	assert.Zero(t, f.Calls("createInvitationEvents"))

	code, out, errOut = runCLI(t, alidaBasicEnv(base), "alida", "report", "--communication", alidaOpen, "--file", path, "--allow-duplicates", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	_, rows := csvRecords(t, out)
	assert.Len(t, rows, 5, "every row was sent")
	assert.Equal(t, 1, f.Calls("createInvitationEvents"))
}
