package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake"
)

func ivvyEnv(base string) map[string]string {
	return map[string]string{"IVVY_BASE_URL": base, "IVVY_API_KEY": fake.IvvyKey, "IVVY_API_SECRET": fake.IvvySecret}
}

func TestIvvyPing(t *testing.T) {
	_, base := fakeServer(t)
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "ping")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "ok")
	assert.Regexp(t, `\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z`, out)

	code, out, errOut = runCLI(t, ivvyEnv(base), "ivvy", "ping", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &v), out)
	assert.Contains(t, v, "ack")
}

func TestIvvyBaseURLFlagOverridesEnvironment(t *testing.T) {
	_, base := fakeServer(t)
	environ := ivvyEnv("http://127.0.0.1:1")
	code, _, errOut := runCLI(t, environ, "ivvy", "ping", "--base-url", base)
	assert.Equal(t, 0, code, errOut)
}

func TestIvvyWrongSecretExitsOneWithoutTheSecret(t *testing.T) {
	_, base := fakeServer(t)
	environ := ivvyEnv(base)
	environ["IVVY_API_SECRET"] = "canary-wrong-secret"
	for _, args := range [][]string{{"ivvy", "ping"}, {"ivvy", "invite", "--event", "1", "--contacts", "1,2"}} {
		code, out, errOut := runCLI(t, environ, args...)
		assert.Equal(t, 1, code, "%v: %s", args, errOut)
		assert.Contains(t, errOut, "invitekit: ")
		assert.Contains(t, errOut, "401")
		assert.NotContains(t, out+errOut, "canary-wrong-secret")
	}
}

func TestIvvyMissingSettingsAreUsageErrors(t *testing.T) {
	code, _, errOut := runCLI(t, map[string]string{"IVVY_BASE_URL": "http://127.0.0.1:1"}, "ivvy", "ping")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "IVVY_API_KEY")
	assert.Contains(t, errOut, "IVVY_API_SECRET")

	code, _, errOut = runCLI(t, map[string]string{"IVVY_API_KEY": "k", "IVVY_API_SECRET": "s"}, "ivvy", "ping")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "IVVY_BASE_URL")

	code, _, errOut = runCLI(t, map[string]string{"IVVY_API_KEY": "k", "IVVY_API_SECRET": "s"}, "ivvy", "ping", "--region", "mars")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "mars")

	code, _, errOut = runCLI(t, ivvyEnv("http://127.0.0.1:1"), "ivvy", "ping", "--format", "xml")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--format")

	code, _, errOut = runCLI(t, ivvyEnv("http://127.0.0.1:1"), "ivvy", "invite", "--contacts", "1")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--event")

	code, _, errOut = runCLI(t, ivvyEnv("http://127.0.0.1:1"), "ivvy", "invite", "--event", "1", "--contacts", "1,x,3")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `"x" is not a contact id`)
}

func TestIvvyInviteAllInvited(t *testing.T) {
	set, base := fakeServer(t)
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "invite", "--event", "1", "--contacts", "1,2,3")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 4, out)
	assert.Contains(t, lines[0], "contact")
	for i, l := range lines[1:] {
		assert.True(t, strings.HasPrefix(l, strconv.Itoa(i+1)+" "), l)
		assert.Contains(t, l, "invited")
	}
	invited := map[int64]bool{}
	for _, inv := range set.Ivvy.Invitations(1) {
		invited[inv.ContactID] = true
	}
	assert.True(t, invited[1] && invited[2] && invited[3], "the fake recorded the invitations")
}

func TestIvvyInviteUnknownContactExitsOneWithResults(t *testing.T) {
	_, base := fakeServer(t)
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "invite", "--event", "1", "--contacts", "2,99999", "--format", "json")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "1 of 2 contacts were not invited")
	var res []struct {
		Contact int64  `json:"contact"`
		Status  string `json:"status"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &res), out)
	require.Len(t, res, 2)
	assert.Equal(t, int64(2), res[0].Contact)
	assert.Equal(t, "invited", res[0].Status)
	assert.Equal(t, int64(99999), res[1].Contact)
	assert.Equal(t, "not invited", res[1].Status)
}

func TestIvvyInviteFromFileAndStdin(t *testing.T) {
	set, base := fakeServer(t)
	ids := set.Ivvy.ContactIDs()
	var sb strings.Builder
	for i, id := range ids {
		sb.WriteString(strconv.FormatInt(id, 10))
		if i%3 == 0 {
			sb.WriteString(",")
		} else {
			sb.WriteString("\n")
		}
	}
	file := filepath.Join(t.TempDir(), "ids.txt")
	require.NoError(t, os.WriteFile(file, []byte(sb.String()), 0o600))
	code, out, errOut := runCLI(t, ivvyEnv(base), "ivvy", "invite", "--event", "2", "--contacts-file", file, "--format", "csv", "--chunk-size", "4")
	require.Equal(t, 0, code, errOut)
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), len(ids)+1)
	assert.Equal(t, (len(ids)+3)/4, set.Ivvy.Calls("inviteContacts"))

	require.Empty(t, set.Ivvy.Invitations(3))
	code, _, errOut = runCLIStdin(t, "1\n2,3\n", ivvyEnv(base), "ivvy", "invite", "--event", "3", "--contacts-file", "-")
	require.Equal(t, 0, code, errOut)
	var invited []int64
	for _, inv := range set.Ivvy.Invitations(3) {
		invited = append(invited, inv.ContactID)
	}
	assert.Equal(t, []int64{1, 2, 3}, invited, "the contacts read from stdin")

	code, _, errOut = runCLIStdin(t, "1\n\nabc\n", ivvyEnv(base), "ivvy", "invite", "--event", "3", "--contacts-file", "-")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "stdin line 3")
}

func TestDemoRunsTheWholeFlow(t *testing.T) {
	code, out, errOut := runCLI(t, nil, "demo")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	for _, want := range []string{
		"signed ping accepted",
		"contact 999  NOT invited",
		"6 of 7 invited in 3 calls",
		"Bob Brown                no",
		"responses so far: 2 yes, 1 no, 3 undecided",
		"12 guests, 4 checked in",
		"changed: Bob Brandt <bob@example.com> checked in: true",
		"checked in now: alice@example.com, bob@example.com, carol@example.com, erin@example.com, heidi@example.com",
		"erin@example.com: not a community member, skipped",
		"Alida:     3 invitation events reported for checked-in guests",
	} {
		assert.Contains(t, out, want)
	}
}

func TestIvvyListCommands(t *testing.T) {
	set, base := fakeServer(t)
	environ := ivvyEnv(base)

	code, out, errOut := runCLI(t, environ, "ivvy", "events")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Product Launch 2026")
	assert.Contains(t, out, "Winter Gala")

	code, out, errOut = runCLI(t, environ, "ivvy", "contacts", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Equal(t, "id,first_name,last_name,email,phone,external_id,modified", lines[0])
	assert.Len(t, lines, len(set.Ivvy.ContactIDs())+1, "every contact, across pages")

	code, out, errOut = runCLI(t, environ, "ivvy", "contacts", "--since", "2100-01-01T00:00:00Z", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.JSONEq(t, `[]`, out)

	code, _, errOut = runCLI(t, environ, "ivvy", "contacts", "--since", "yesterday")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--since")

	code, out, errOut = runCLI(t, environ, "ivvy", "invited", "--event", "1", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var invited []struct {
		ContactID int64  `json:"contactId"`
		Response  string `json:"response"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &invited), out)
	responses := map[int64]string{}
	for _, i := range invited {
		responses[i.ContactID] = i.Response
	}
	assert.Equal(t, "Y", responses[1])
	assert.Equal(t, "N", responses[2])
	assert.Equal(t, "U", responses[3])

	code, out, errOut = runCLI(t, environ, "ivvy", "attendees", "--event", "1")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Alice")

	code, _, errOut = runCLI(t, environ, "ivvy", "attendees")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--event")

	code, _, errOut = runCLI(t, environ, "ivvy", "invited", "--event", "424242")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "invitekit: ivvy: getInvitedContactList")
}

func TestIvvyInviteThousandsFromFile(t *testing.T) {
	set, base := fakeServer(t)
	var sb strings.Builder
	for i := range 2500 {
		sb.WriteString(strconv.Itoa(i + 1))
		sb.WriteString("\n")
	}
	file := filepath.Join(t.TempDir(), "ids.txt")
	require.NoError(t, os.WriteFile(file, []byte(sb.String()), 0o600))
	code, out, _ := runCLI(t, ivvyEnv(base), "ivvy", "invite", "--event", "1", "--contacts-file", file, "--format", "csv")
	assert.Equal(t, 1, code, "ids past the demo contacts are not invited")
	assert.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 2501)
	assert.Equal(t, 25, set.Ivvy.Calls("inviteContacts"), "2500 contacts in chunks of 100")
}

func TestIvvyInviteShowsProgressOnATerminal(t *testing.T) {
	_, base := fakeServer(t)
	environ := ivvyEnv(base)
	var out, errOut strings.Builder
	e := &env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return environ[k] }, StderrIsTerminal: true}
	code := run(t.Context(), e, []string{"ivvy", "invite", "--event", "1", "--contacts", "1,2,3,4,5", "--chunk-size", "2", "--concurrency", "1"})
	require.Equal(t, 0, code, errOut.String())
	assert.Contains(t, errOut.String(), "invited 5/5")
	assert.Contains(t, errOut.String(), "invited 2/5")

	code, _, errText := runCLI(t, environ, "ivvy", "invite", "--event", "1", "--contacts", "1,2")
	require.Equal(t, 0, code)
	assert.NotContains(t, errText, "invited", "no progress when stderr is not a terminal")
}
