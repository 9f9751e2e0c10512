package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIvvyCallSendsAnActionAndPrintsTheAnswer(t *testing.T) {
	set, base := fakeServer(t)
	// Flags after the positionals.
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "event", "getEvent", "--data", `{"id":1}`)
	require.Equal(t, 0, code, errOut)
	var ev map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &ev), out)
	assert.Equal(t, "Product Launch 2026", ev["title"])
	assert.Equal(t, 1, set.Ivvy.Calls("getEvent"))

	// Flags before them, one line of JSON.
	code, out, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "--format", "jsonl", "--data", `{"id":1}`, "event", "getEvent")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, 1, strings.Count(out, "\n"), out)
}

func TestIvvyCallServesAnActionOnlyTheSpecDescribes(t *testing.T) {
	_, base := fakeServer(t)
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "account", "getIndustryList")
	require.Equal(t, 0, code, errOut)
	var page struct {
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &page), out)
	assert.NotEmpty(t, page.Results)

	// An operationId that differs from its action names it too.
	code, _, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "venue", "venueGetVenueList")
	assert.Equal(t, 0, code, errOut)
}

func TestIvvyCallReadsDataFromAFileAndStdin(t *testing.T) {
	_, base := fakeServer(t)
	path := filepath.Join(t.TempDir(), "body.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"id": 2}`), 0o600))
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "contact", "getContact", "--data", "@"+path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "bob@example.com")

	code, out, errOut = runCLIStdin(t, `{"id": 3}`, ivvyEnv(base), "ivvy", "call", "contact", "getContact", "--data", "-")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "carol@example.com")
}

func TestIvvyCallAllWalksEveryPage(t *testing.T) {
	set, base := fakeServer(t)
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "contact", "getContactList", "--all", "--data", `{"perPage":10}`)
	require.Equal(t, 0, code, errOut)
	var contacts []struct {
		ID int64 `json:"id"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &contacts), out)
	require.Len(t, contacts, 25)
	assert.Equal(t, int64(25), contacts[24].ID)
	assert.Equal(t, 3, set.Ivvy.Calls("getContactList"), "pages of 10, 10 and 5")

	code, out, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "contact", "getContactList", "--all", "--format", "jsonl")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 25)
	for _, l := range lines {
		assert.True(t, json.Valid([]byte(l)), l)
	}

	code, _, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "event", "getEvent", "--all", "--data", `{"id":1}`)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not a collection")
}

func TestIvvyCallRefusesABadBodyWithoutSendingIt(t *testing.T) {
	set, base := fakeServer(t)
	for name, tc := range map[string]struct {
		data string
		want []string
	}{
		"wrong type":    {`{"id":"one"}`, []string{"field id"}},
		"missing field": {`{}`, []string{"field id", "missing"}},
		"not JSON":      {`{"id":`, []string{"not valid JSON"}},
		"not an object": {`[1]`, []string{"body"}},
	} {
		t.Run(name, func(t *testing.T) {
			code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "contact", "getContact", "--data", tc.data)
			assert.Equal(t, 2, code, errOut)
			assert.Empty(t, out)
			for _, w := range tc.want {
				assert.Contains(t, errOut, w)
			}
		})
	}
	assert.Equal(t, 0, set.Ivvy.Calls("getContact"), "nothing was sent")

	code, _, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "contact", "getContactList", "--all", "--data", `{"filter":{"fromModifiedDate":5}}`)
	assert.Equal(t, 2, code, errOut)
	assert.Contains(t, errOut, "field filter.fromModifiedDate")
	assert.Equal(t, 0, set.Ivvy.Calls("getContactList"), "nothing was sent")
}

func TestIvvyCallUnknownActionListsTheNamespace(t *testing.T) {
	set, base := fakeServer(t)
	code, _, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "event", "getEvnt")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `no action "getEvnt" in namespace event`)
	for _, a := range []string{"getEvent", "getEventList", "inviteContacts"} {
		assert.Contains(t, errOut, a)
	}
	assert.NotContains(t, errOut, "getContact", "only the namespace's actions")
	assert.Equal(t, 0, set.Ivvy.Calls("getEvnt"))

	code, _, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "events", "getEvent")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "namespace")
	assert.Contains(t, errOut, "venue")

	code, _, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "event")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "NAMESPACE and ACTION")
}

func TestIvvyCallExceptionExitsOneWithItsCodes(t *testing.T) {
	_, base := fakeServer(t)
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "event", "getEvent", "--data", `{"id":99999}`)
	assert.Equal(t, 1, code)
	assert.Empty(t, out)
	assert.Contains(t, errOut, "getEvent")
	assert.Regexp(t, `error \d{3}/24097`, errOut)
}

func TestIvvyCallUploadsABookingDocument(t *testing.T) {
	set, base := fakeServer(t)
	path := filepath.Join(t.TempDir(), "quote.pdf")
	require.NoError(t, os.WriteFile(path, []byte("%PDF-1.4 quote"), 0o600))
	fields := `{"venueId":1,"bookingId":29836,"type":3,"status":3,"canBeDeleted":1}`
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "call", "venue", "uploadBookingDocument", "--data", fields, "--file", path)
	require.Equal(t, 0, code, errOut)
	var res map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	assert.Equal(t, true, res["success"])
	ups := set.Ivvy.Uploads()
	require.Len(t, ups, 1)
	assert.Equal(t, "quote.pdf", ups[0].FileName)
	assert.Equal(t, "%PDF-1.4 quote", string(ups[0].Content))

	for name, tc := range map[string]struct {
		args []string
		want string
	}{
		"no file":        {[]string{"--data", fields}, "--file"},
		"no fields":      {[]string{"--file", path}, "--data"},
		"missing status": {[]string{"--data", `{"venueId":1,"bookingId":2,"type":3}`, "--file", path}, "field status"},
		"bad type":       {[]string{"--data", `{"venueId":1,"bookingId":2,"type":"x","status":3}`, "--file", path}, "field type"},
		"no such file":   {[]string{"--data", fields, "--file", path + ".missing"}, "--file"},
	} {
		t.Run(name, func(t *testing.T) {
			args := append([]string{"ivvy", "call", "venue", "uploadBookingDocument"}, tc.args...)
			code, _, errOut := runCLI(t, ivvyEnv(base), args...)
			assert.Equal(t, 2, code, errOut)
			assert.Contains(t, errOut, tc.want)
		})
	}
	code, _, errOut = runCLI(t, ivvyEnv(base), "ivvy", "call", "event", "getEvent", "--data", `{"id":1}`, "--file", path)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--file is only for")
	assert.Len(t, set.Ivvy.Uploads(), 1, "nothing more was sent")
	assert.Equal(t, 1, set.Ivvy.Calls("uploadBookingDocument"))
}
