package main

import (
	"encoding/csv"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/invitario"
)

// invitarioFake serves a demo Invitario fake and returns it with the
// environment that points the command at it.
func invitarioFake(t *testing.T) (*invitariofake.Server, map[string]string) {
	t.Helper()
	f := invitariofake.Demo()
	srv := httptest.NewServer(f)
	t.Cleanup(func() {
		srv.Close()
		assert.Empty(t, f.Violations(), "requests that do not match the spec")
	})
	return f, map[string]string{
		"INVITARIO_BASE_URL": srv.URL,
		"INVITARIO_EVENT_ID": invitariofake.DemoEventID,
		"INVITARIO_API_KEY":  invitariofake.DemoAppCode,
		"INVITARIO_STATION":  invitariofake.DemoStation,
	}
}

func parseCSV(t *testing.T, out string) []map[string]string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	require.NoError(t, err)
	require.NotEmpty(t, recs)
	require.Equal(t, []string{"id", "parent_id", "access_code", "first_name", "last_name", "email", "company",
		"registration_state", "check_in", "check_out", "deleted_at", "changed", "deleted"}, recs[0])
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return rows
}

func byEmail(rows []map[string]string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, r := range rows {
		out[r["email"]] = r
	}
	return out
}

func TestInvitarioGuestsTable(t *testing.T) {
	f, env := invitarioFake(t)
	code, out, errOut := runCLI(t, env, "invitario", "guests")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 1+len(invitariofake.DemoGuests))
	assert.True(t, strings.HasPrefix(lines[0], "id "), lines[0])
	assert.Contains(t, out, "alice@example.com")
	assert.Equal(t, 1, f.Logins())
	assert.Equal(t, 1, f.Logouts(), "always logs out")
	assert.NotContains(t, out, invitariofake.DemoAppCode)
}

func TestInvitarioGuestsCSVAndJSON(t *testing.T) {
	f, env := invitarioFake(t)
	code, out, errOut := runCLI(t, env, "invitario", "guests", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	rows := byEmail(parseCSV(t, out))
	require.Len(t, rows, len(invitariofake.DemoGuests))
	alice, bob, ted := rows["alice@example.com"], rows["bob@example.com"], rows["ted@example.com"]
	assert.Equal(t, "Alice", alice["first_name"])
	assert.NotEmpty(t, alice["check_in"])
	_, err := time.Parse(time.RFC3339, alice["check_in"])
	require.NoError(t, err)
	assert.Empty(t, bob["check_in"])
	assert.Equal(t, bob["id"], ted["parent_id"])
	assert.Equal(t, "registered", bob["registration_state"])
	assert.Equal(t, "false", bob["changed"])
	assert.Equal(t, "false", bob["deleted"])

	code, out, errOut = runCLI(t, env, "invitario", "guests", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var guests []invitario.Guest
	require.NoError(t, json.Unmarshal([]byte(out), &guests), "one JSON array of guests")
	require.Len(t, guests, len(invitariofake.DemoGuests))
	for _, g := range guests {
		assert.NotEmpty(t, g.ID)
		assert.Nil(t, g.DeleteDateTime)
	}

	code, out, errOut = runCLI(t, env, "invitario", "guests", "--format", "jsonl")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	require.Len(t, lines, len(invitariofake.DemoGuests), "one guest per line")
	for i, l := range lines {
		var g invitario.Guest
		require.NoError(t, json.Unmarshal([]byte(l), &g), "line %d", i+1)
		assert.Equal(t, guests[i].ID, g.ID)
	}
	assert.Equal(t, 3, f.Logouts())
}

func TestInvitarioGuestsWrongCredentials(t *testing.T) {
	f, env := invitarioFake(t)
	env["INVITARIO_EVENT_ID"] = "999"
	code, out, errOut := runCLI(t, env, "invitario", "guests")
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "invitekit: ")
	assert.Contains(t, errOut, "Event ID not known.")

	env["INVITARIO_EVENT_ID"] = invitariofake.DemoEventID
	env["INVITARIO_API_KEY"] = "not-the-app-code"
	code, _, errOut = runCLI(t, env, "invitario", "guests", "--format", "csv")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "API key incorrect.")
	assert.NotContains(t, errOut, "not-the-app-code")
	assert.Zero(t, f.Logins())
	assert.Zero(t, f.Calls("logout"), "no session, nothing to log out")
}

func TestInvitarioGuestsUsage(t *testing.T) {
	_, env := invitarioFake(t)
	for _, c := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{map[string]string{}, nil, "INVITARIO_BASE_URL"},
		{map[string]string{"INVITARIO_BASE_URL": env["INVITARIO_BASE_URL"]}, nil, "INVITARIO_API_KEY"},
		{env, []string{"--since", "yesterday"}, "--since"},
		{env, []string{"--format", "xml"}, "--format"},
		{env, []string{"stray"}, "unexpected argument"},
		{env, []string{"--base-url", "ftp://example"}, "http(s)://host[:port]"},
	} {
		code, _, errOut := runCLI(t, c.env, append([]string{"invitario", "guests"}, c.args...)...)
		assert.Equal(t, 2, code, "%v %v", c.args, errOut)
		assert.Contains(t, errOut, c.want)
	}
}

func TestInvitarioGuestsFlagsOverrideEnvironment(t *testing.T) {
	f, env := invitarioFake(t)
	flags := []string{"--base-url", env["INVITARIO_BASE_URL"], "--event", invitariofake.DemoEventID,
		"--api-key", invitariofake.DemoAppCode, "--station", "Side Door"}
	code, _, errOut := runCLI(t, map[string]string{"INVITARIO_EVENT_ID": "999"}, append([]string{"invitario", "guests"}, flags...)...)
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 1, f.Logins())
}

func TestInvitarioGuestsSince(t *testing.T) {
	f, env := invitarioFake(t)
	guests := f.Guests(invitariofake.DemoEventID)
	since := time.Now().Add(-time.Hour).Format(time.RFC3339)
	code, out, errOut := runCLI(t, env, "invitario", "guests", "--since", since, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	rows := parseCSV(t, out)
	assert.Len(t, rows, len(guests), "everything changed within the hour")
	for _, r := range rows {
		assert.Equal(t, "true", r["changed"])
	}

	require.NoError(t, f.DeleteGuest(invitariofake.DemoEventID, guests[2].ID)) // Carol
	future := time.Now().Add(time.Hour).Format(time.RFC3339)
	code, out, errOut = runCLI(t, env, "invitario", "guests", "--since", future, "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, parseCSV(t, out))

	code, out, errOut = runCLI(t, env, "invitario", "guests", "--since", time.Now().Add(-time.Minute).Format(time.RFC3339), "--format", "csv")
	require.Equal(t, 0, code, errOut)
	carol := byEmail(parseCSV(t, out))["carol@example.com"]
	require.NotNil(t, carol)
	assert.Equal(t, "true", carol["deleted"])
	assert.Equal(t, "false", carol["changed"])
	assert.NotEmpty(t, carol["deleted_at"])
	assert.Equal(t, 3, f.Logouts())
}

func TestInvitarioGuestsStateAcrossRuns(t *testing.T) {
	f, env := invitarioFake(t)
	dir := t.TempDir()
	state := filepath.Join(dir, "invitario.state")
	ev := invitariofake.DemoEventID
	guests := f.Guests(ev)
	run := func() []map[string]string {
		t.Helper()
		code, out, errOut := runCLI(t, env, "invitario", "guests", "--state", state, "--format", "csv")
		require.Equal(t, 0, code, errOut)
		return parseCSV(t, out)
	}

	// First run: the whole list, and a state file.
	first := run()
	assert.Len(t, first, len(guests))
	for _, r := range first {
		assert.Equal(t, "false", r["changed"])
	}
	raw, err := os.ReadFile(state)
	require.NoError(t, err)
	var st struct {
		EventID string
		Cursor  invitario.Cursor
	}
	require.NoError(t, json.Unmarshal(raw, &st))
	assert.Equal(t, ev, st.EventID)
	assert.False(t, st.Cursor.DateTime.IsZero())
	assert.NotContains(t, string(raw), invitariofake.DemoAppCode)

	// Nothing changed: nothing listed, even within the same second.
	assert.Empty(t, run())

	// Changes between runs: each appears once, deletions marked.
	require.NoError(t, f.CheckIn(ev, guests[1].ID))     // Bob
	require.NoError(t, f.DeleteGuest(ev, guests[2].ID)) // Carol
	added, err := f.AddGuest(ev, invitario.Guest{Fields: invitario.Fields{
		"firstName": invitario.StringValue("Zoe"), "email": invitario.StringValue("zoe@example.com")}})
	require.NoError(t, err)
	third := byEmail(run())
	require.Len(t, third, 3)
	assert.Equal(t, "true", third["bob@example.com"]["changed"])
	assert.NotEmpty(t, third["bob@example.com"]["check_in"])
	assert.Equal(t, "true", third["carol@example.com"]["deleted"])
	assert.Equal(t, "false", third["carol@example.com"]["changed"])
	assert.Equal(t, added.ID, third["zoe@example.com"]["id"])
	assert.Equal(t, "true", third["zoe@example.com"]["changed"])

	assert.Empty(t, run(), "changes are not repeated")

	// The state file is replaced atomically: no temporary files remain.
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "invitario.state", entries[0].Name())
	assert.Equal(t, 4, f.Logins())
	assert.Equal(t, 4, f.Logouts())
	assert.Zero(t, f.Sessions())
}

func TestInvitarioGuestsStateProblems(t *testing.T) {
	f, env := invitarioFake(t)
	dir := t.TempDir()

	other := filepath.Join(dir, "other.state")
	require.NoError(t, os.WriteFile(other, []byte(`{"eventId":"42","cursor":{"dateTime":"2026-01-01T00:00:00Z"}}`), 0o600))
	code, _, errOut := runCLI(t, env, "invitario", "guests", "--state", other)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "belongs to event 42")

	broken := filepath.Join(dir, "broken.state")
	require.NoError(t, os.WriteFile(broken, []byte(`{"eventId":`), 0o600))
	code, _, errOut = runCLI(t, env, "invitario", "guests", "--state", broken)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "not a sync state")

	// A state file that cannot be written fails the run before any request.
	code, out, errOut := runCLI(t, env, "invitario", "guests", "--state", filepath.Join(dir, "missing", "x.state"))
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "state file")
	assert.Contains(t, errOut, "cannot be written")
	assert.Zero(t, f.Logins(), "nothing was sent")

	code, out, errOut = runCLI(t, env, "invitario", "guests", "--state", dir)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "state file")
	assert.Zero(t, f.Logins(), "nothing was sent")

	// --since and --state contradict each other.
	code, _, errOut = runCLI(t, env, "invitario", "guests", "--state", filepath.Join(dir, "new.state"), "--since", "2026-01-01")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--since or --state")
	assert.Zero(t, f.Logins(), "nothing was sent")
	assert.NoFileExists(t, filepath.Join(dir, "new.state"))
}
