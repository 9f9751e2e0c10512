package fixturecheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The contract tests' exchange fixtures all pass the check: the valid ones
// fit the spec and the negative ones fail where they say. (The notification
// payloads under testdata/ivvy-notifications are not exchanges; their own
// test checks them.)
func TestContractFixturesPass(t *testing.T) {
	dir := filepath.Join("..", "..", "contract_tests", "testdata")
	rep, err := Check(filepath.Join(dir, "ivvy"), filepath.Join(dir, "alida"), filepath.Join(dir, "invitario"))
	require.NoError(t, err)
	var out strings.Builder
	rep.Write(&out)
	for _, f := range rep.Files {
		assert.True(t, f.OK, "%s: %v", f.Path, f.Issues)
	}
	assert.False(t, rep.Failed(), out.String())
	assert.Greater(t, len(rep.Files), 300)
}

func TestAssumptionsListed(t *testing.T) {
	all, err := Assumptions()
	require.NoError(t, err)
	require.NotEmpty(t, all)
	for _, a := range all {
		assert.True(t, strings.HasPrefix(a.Location, "/"), a.Location)
		assert.NotEmpty(t, a.Reason, a.Location)
		assert.NotContains(t, a.Reason, "\n")
	}
}

// copyFixture copies a contract fixture of guestListAll into a folder of
// its own, changed by edit, and returns the folder.
func copyFixture(t *testing.T, name string, edit func(map[string]any)) string {
	t.Helper()
	return copyFixtureOf(t, "invitario", "guestListAll", name, edit)
}

// copyFixtureOf is copyFixture for a fixture of any API and operation.
func copyFixtureOf(t *testing.T, api, op, name string, edit func(map[string]any)) string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "contract_tests", "testdata", api, op, name))
	require.NoError(t, err)
	var fx map[string]any
	require.NoError(t, json.Unmarshal(raw, &fx))
	edit(fx)
	out, err := json.Marshal(fx)
	require.NoError(t, err)
	dir := filepath.Join(t.TempDir(), api, op)
	require.NoError(t, os.MkdirAll(dir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), out, 0o644))
	return dir
}

func TestBrokenFieldIsNamed(t *testing.T) {
	dir := copyFixture(t, "success.json", func(fx map[string]any) {
		guests := fx["response"].(map[string]any)["body"].(map[string]any)["guests"].([]any)
		guests[0].(map[string]any)["accessCode"] = 12345
	})
	rep, err := Check(dir)
	require.NoError(t, err)
	require.Len(t, rep.Files, 1)
	f := rep.Files[0]
	assert.False(t, f.OK)
	assert.True(t, rep.Failed())
	assert.Equal(t, "invitario", f.API)
	assert.Equal(t, "guestListAll", f.Operation)
	require.NotEmpty(t, f.Issues)
	assert.Equal(t, Issue{Part: "response", Field: "/guests/0/accessCode", Expected: "type string"}, f.Issues[0])

	// The unchanged copy passes: the change is what broke it.
	rep, err = Check(copyFixture(t, "success.json", func(map[string]any) {}))
	require.NoError(t, err)
	assert.True(t, rep.Files[0].OK, "%v", rep.Files[0].Issues)
}

// A file that is not one fixture of the contract tests' format is refused
// with the reason, and the check goes on to the other files.
func TestMalformedFilesNamed(t *testing.T) {
	dir := t.TempDir()
	valid, err := os.ReadFile(filepath.Join("..", "..", "contract_tests", "testdata", "invitario", "guestListAll", "success.json"))
	require.NoError(t, err)
	files := map[string]string{
		"a-not-json.json":     `{"source": `,
		"b-unknown-key.json":  `{"source": "x", "extra": 1}`,
		"c-two.json":          string(valid) + "\n" + string(valid),
		"d-no-source.json":    `{"request": {"method": "POST", "path": "/api/v1/logout"}, "response": {"status": 200}}`,
		"e-bad-invalid.json":  `{"source": "x", "invalid": "both", "request": {"method": "POST", "path": "/api/v1/logout"}, "response": {"status": 200}}`,
		"f-no-operation.json": `{"source": "x", "request": {"method": "GET", "path": "/nowhere"}, "response": {"status": 200}}`,
		"g-valid.json":        string(valid),
	}
	for name, text := range files {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644))
	}
	rep, err := Check(dir)
	require.NoError(t, err)
	require.Len(t, rep.Files, len(files))
	want := []string{
		"file: a fixture in the contract tests' format: unexpected EOF",
		`file: a fixture in the contract tests' format: json: unknown field "extra"`,
		"file: one fixture per file (there is more after the first)",
		"file: a source saying where the exchange comes from",
		`file: invalid is "", "request" or "response"`,
		"request: an operation of a spec (none has GET /nowhere)",
	}
	for i, w := range want {
		f := rep.Files[i]
		assert.False(t, f.OK, f.Path)
		require.Len(t, f.Issues, 1, f.Path)
		assert.Equal(t, w, f.Issues[0].String(), f.Path)
	}
	assert.True(t, rep.Files[len(want)].OK, "%v", rep.Files[len(want)].Issues)
}

// A negative fixture is OK only when every problem found in the message
// it marks invalid lies at its invalidAt or inside it, and the other
// message fits the spec: a second mistake, an invalidAt naming another
// field, or no invalidAt at all fails it.
func TestNegativeFailsWhereItSays(t *testing.T) {
	check := func(api, op, name string, edit func(map[string]any)) FileResult {
		t.Helper()
		rep, err := Check(copyFixtureOf(t, api, op, name, edit))
		require.NoError(t, err)
		require.Len(t, rep.Files, 1)
		return rep.Files[0]
	}
	firstGuest := func(fx map[string]any) map[string]any {
		return fx["response"].(map[string]any)["body"].(map[string]any)["guests"].([]any)[0].(map[string]any)
	}
	const response = "invalid-field-value-number.json" // invalidAt /guests/0/fields/customField1

	f := check("invitario", "guestListAll", response, func(map[string]any) {})
	assert.True(t, f.OK, "as written: %v", f.Issues)
	assert.Equal(t, []Issue{{Part: "response", Field: "/guests/0/fields/customField1", Expected: "type string or null"}}, f.Issues, "the expected failure is shown")

	f = check("invitario", "guestListAll", response, func(fx map[string]any) { fx["invalidAt"] = "/guests/0" })
	assert.False(t, f.OK, "invalidAt wider than the broken field")
	require.NotEmpty(t, f.Issues)
	assert.Contains(t, f.Issues[0].Expected, "wider than the problems, which all lie within /guests/0/fields/customField1")
	f = check("invitario", "guestListAll", response, func(fx map[string]any) { fx["invalidAt"] = "" })
	assert.False(t, f.OK, "invalidAt naming the whole body")

	f = check("invitario", "guestListAll", response, func(fx map[string]any) { firstGuest(fx)["accessCode"] = 12345 })
	assert.False(t, f.OK, "a second mistake")
	require.Len(t, f.Issues, 2)
	assert.Equal(t, "file", f.Issues[0].Part)
	assert.Contains(t, f.Issues[0].Expected, "/guests/0/fields/customField1")
	assert.Equal(t, Issue{Part: "response", Field: "/guests/0/accessCode", Expected: "type string"}, f.Issues[1])

	f = check("invitario", "guestListAll", response, func(fx map[string]any) { fx["invalidAt"] = "/guests/0/fields/customField2" })
	assert.False(t, f.OK, "invalidAt naming another field")
	assert.Equal(t, Issue{Part: "response", Field: "/guests/0/fields/customField1", Expected: "type string or null"}, f.Issues[len(f.Issues)-1])

	f = check("invitario", "guestListAll", response, func(fx map[string]any) { delete(fx, "invalidAt") })
	assert.False(t, f.OK, "no invalidAt")
	require.Len(t, f.Issues, 1)
	assert.Contains(t, f.Issues[0].String(), `add "invalidAt"`)

	// A request broken in a query parameter, and then in its path too.
	const request = "invalid-limit-too-large.json" // invalidAt query/limit
	f = check("alida", "listQueuedInvitationEvents", request, func(map[string]any) {})
	assert.True(t, f.OK, "as written: %v", f.Issues)
	f = check("alida", "listQueuedInvitationEvents", request, func(fx map[string]any) {
		r := fx["request"].(map[string]any)
		r["path"] = strings.Replace(r["path"].(string), "/2017-02-28?", "/yesterday?", 1)
	})
	assert.False(t, f.OK, "a second mistake, in the path")
	assert.Contains(t, fieldsOf(f.Issues), "path/dateUtc", "the path parameter is named")
	assert.NotContains(t, fieldsOf(f.Issues), "query/limit", "only the problems elsewhere are listed")

	// The answer to a request marked invalid must fit the spec.
	f = check("alida", "listQueuedInvitationEvents", request, func(fx map[string]any) {
		fx["response"].(map[string]any)["body"].(map[string]any)["message"] = 400
	})
	assert.False(t, f.OK, "a mistake in the answer to a request marked invalid")
	assert.Contains(t, f.Issues, Issue{Part: "response", Field: "/message", Expected: "type string"})
}

func fieldsOf(issues []Issue) []string {
	var out []string
	for _, i := range issues {
		out = append(out, i.Field)
	}
	return out
}

// A fixture filed under another operation's folder fails, negative or not.
func TestFixtureInTheWrongFolderFails(t *testing.T) {
	for _, name := range []string{"success.json", "invalid-field-value-number.json"} {
		dir := copyFixtureOf(t, "invitario", "guestListAll", name, func(map[string]any) {})
		wrong := filepath.Join(filepath.Dir(dir), "guestListRecent")
		require.NoError(t, os.Rename(dir, wrong))
		rep, err := Check(wrong)
		require.NoError(t, err)
		require.Len(t, rep.Files, 1)
		f := rep.Files[0]
		assert.False(t, f.OK, name)
		require.NotEmpty(t, f.Issues, name)
		assert.Equal(t, Issue{Part: "file", Expected: "the folder of operation guestListAll (filed under guestListRecent)"}, f.Issues[0], name)
	}
}
