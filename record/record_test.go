package record_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/record"
)

// exchange sends body to a server answering answer, through a recording
// transport when rec is set, and returns what the server received and
// what the caller read.
func exchange(t *testing.T, rec *record.Recorder, op string, reqBody, answer string, header map[string]string) (received, read []byte) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer)
	}))
	defer srv.Close()
	var rt http.RoundTripper = http.DefaultTransport
	if rec != nil {
		rt = rec.For("test", "s3cr3t-value").Wrap(rt)
	}
	ctx := httpx.WithOperation(context.Background(), op, true)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/x?action=y", strings.NewReader(reqBody))
	require.NoError(t, err)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	read, err = io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	return received, read
}

func readFixture(t *testing.T, path string) map[string]any {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var v map[string]any
	require.NoError(t, json.Unmarshal(b, &v), string(b))
	return v
}

// Recording changes nothing: the server gets the same bytes and the caller
// reads the same bytes as without a recorder.
func TestRecordingChangesNothing(t *testing.T) {
	reqBody := `{"apiKey":"s3cr3t-value", "email":"ann@example.com",  "n": 1.50}`
	answer := "{\"sessionToken\":\"tok-123456\",\n \"name\":\"Ann\", \"list\":[1,2,3], \"html\":\"<b>&</b>\"}\n"
	plainRecv, plainRead := exchange(t, nil, "op", reqBody, answer, nil)
	rec, err := record.New(t.TempDir(), record.MaskPII(true))
	require.NoError(t, err)
	recRecv, recRead := exchange(t, rec, "op", reqBody, answer, map[string]string{"Authorization": "Bearer tok-abcdef"})
	assert.True(t, bytes.Equal(plainRecv, recRecv), "request body changed")
	assert.True(t, bytes.Equal(plainRead, recRead), "answer changed")
	assert.Equal(t, []byte(answer), recRead)
	require.NoError(t, rec.Err())
	require.Len(t, rec.Files(), 1)
}

func TestFixtureNamedByOperationAndScrubbed(t *testing.T) {
	dir := t.TempDir()
	rec, err := record.New(dir, record.WithClock(func() time.Time { return time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC) }),
		record.SensitiveFields("pin"))
	require.NoError(t, err)
	for range 2 {
		exchange(t, rec, "getThing", `{"apiKey":"s3cr3t-value","pin":"4321","note":"echo s3cr3t-value"}`,
			`{"sessionToken":"tok-123456","message":"token tok-123456 and s3cr3t-value","access_token":"at-999999"}`,
			map[string]string{"Authorization": "Basic dXNlcjpwYXNzd29yZA==", "X-Api-Authorization": "IWS key:c2lnbmF0dXJl"})
	}
	require.NoError(t, rec.Err())
	assert.Equal(t, []string{filepath.Join(dir, "test", "getThing", "1.json"), filepath.Join(dir, "test", "getThing", "2.json")}, rec.Files())
	raw, err := os.ReadFile(rec.Files()[0])
	require.NoError(t, err)
	text := string(raw)
	for _, secret := range []string{"s3cr3t-value", "tok-123456", "at-999999", "4321", "dXNlcjpwYXNzd29yZA==", "c2lnbmF0dXJl", "key:"} {
		assert.NotContains(t, text, secret)
	}
	f := readFixture(t, rec.Files()[0])
	assert.Equal(t, "recorded by invitekit on 2026-03-01T00:00:00Z", f["source"])
	req := f["request"].(map[string]any)
	assert.Equal(t, "/api/x?action=y", req["path"])
	assert.Equal(t, "Basic [redacted]", req["headers"].(map[string]any)["Authorization"])
	assert.Equal(t, "IWS [redacted]", req["headers"].(map[string]any)["X-Api-Authorization"])
	assert.Equal(t, map[string]any{"apiKey": "[redacted]", "pin": "[redacted]", "note": "echo [redacted]"}, req["body"])
	resp := f["response"].(map[string]any)
	assert.EqualValues(t, 200, resp["status"])
	assert.Equal(t, "token [redacted] and [redacted]", resp["body"].(map[string]any)["message"])
}

func TestPIIMaskedConsistently(t *testing.T) {
	dir := t.TempDir()
	rec, err := record.New(dir, record.MaskPII(true))
	require.NoError(t, err)
	exchange(t, rec, "a", `{"email":"ann@example.com","firstName":"Ann"}`,
		`{"results":[{"email":"ann@example.com","firstName":"Ann","phone":"+61 400 111 222","mobile":61400111222},{"email":"bob@example.com","firstName":"Bob","eventId":7}]}`, nil)
	f := readFixture(t, rec.Files()[0])
	reqBody := f["request"].(map[string]any)["body"].(map[string]any)
	items := f["response"].(map[string]any)["body"].(map[string]any)["results"].([]any)
	ann, bob := items[0].(map[string]any), items[1].(map[string]any)
	assert.Equal(t, reqBody["email"], ann["email"], "same input, same fake value")
	assert.Equal(t, reqBody["firstName"], ann["firstName"])
	assert.NotEqual(t, ann["email"], bob["email"])
	assert.Regexp(t, `^person-[0-9a-f]+@example\.com$`, ann["email"])
	assert.Regexp(t, `^\+1555[0-9]{7}$`, ann["phone"])
	assert.IsType(t, float64(0), ann["mobile"], "a number stays a number")
	assert.EqualValues(t, 7, bob["eventId"], "other data is kept")
	raw, _ := os.ReadFile(rec.Files()[0])
	for _, pii := range []string{"ann@", "bob@", "Ann", "Bob", "400 111", "61400111222"} {
		assert.NotContains(t, string(raw), pii)
	}
}

// People's names are masked wherever a property names one; names of things
// are kept.
func TestPIIMaskingTellsPeopleFromThings(t *testing.T) {
	rec, err := record.New(t.TempDir(), record.MaskPII(true))
	require.NoError(t, err)
	exchange(t, rec, "a", ``, `{"name":"Banking","businessName":"Example Pty Ltd","displayName":"Newsletter",`+
		`"toContactName":"Ada Lovelace","assignedUserFullName":"Grace Hopper","lastName":"Smith","salutation":"Mr."}`, nil)
	f := readFixture(t, rec.Files()[0])
	body := f["response"].(map[string]any)["body"].(map[string]any)
	for key, kept := range map[string]string{"name": "Banking", "businessName": "Example Pty Ltd", "displayName": "Newsletter"} {
		assert.Equal(t, kept, body[key], "%s names a thing", key)
	}
	for key, real := range map[string]string{"toContactName": "Ada Lovelace", "assignedUserFullName": "Grace Hopper", "lastName": "Smith", "salutation": "Mr."} {
		assert.NotEqual(t, real, body[key], "%s names a person", key)
		assert.Regexp(t, `^Name-[0-9a-f]+$`, body[key])
	}
}

// A guest's street address is masked; the city and country are kept.
func TestPIIMaskingCoversStreetAddresses(t *testing.T) {
	rec, err := record.New(t.TempDir(), record.MaskPII(true))
	require.NoError(t, err)
	exchange(t, rec, "a", ``, `{"fields":{"street":"Stephansplatz","houseNumber":"1","postalCode":"A-8173","city":"Vienna","country":"AT"},`+
		`"address":{"line1":"1 Harbour Street","postalCode":"NSW-9462","city":"Sydney"}}`, nil)
	f := readFixture(t, rec.Files()[0])
	body := f["response"].(map[string]any)["body"].(map[string]any)
	fields, address := body["fields"].(map[string]any), body["address"].(map[string]any)
	for _, v := range []any{fields["street"], fields["houseNumber"], fields["postalCode"], address["line1"], address["postalCode"]} {
		assert.Regexp(t, `^Address-[0-9a-f]+$`, v)
	}
	assert.Equal(t, "Vienna", fields["city"])
	assert.Equal(t, "AT", fields["country"])
	assert.Equal(t, "Sydney", address["city"])
	raw, err := os.ReadFile(rec.Files()[0])
	require.NoError(t, err)
	for _, real := range []string{"Stephansplatz", "Harbour", "A-8173", "NSW-9462"} {
		assert.NotContains(t, string(raw), real)
	}
}

func TestTextAnswerKeptAsBodyText(t *testing.T) {
	rec, err := record.New(t.TempDir())
	require.NoError(t, err)
	exchange(t, rec, "a", ``, `<html>error s3cr3t-value</html>`, nil)
	f := readFixture(t, rec.Files()[0])
	resp := f["response"].(map[string]any)
	assert.Equal(t, "<html>error [redacted]</html>", resp["bodyText"])
	assert.NotContains(t, f["request"], "body")
}

// An answer its reader abandons half-way is not saved; one closed after
// a complete JSON value is.
func TestAbandonedAnswerNotSaved(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"list":[`+strings.Repeat(`{"a":1},`, 20000)+`{"a":1}]}`)
	}))
	defer srv.Close()
	rec, err := record.New(t.TempDir())
	require.NoError(t, err)
	rt := rec.For("test").Wrap(http.DefaultTransport)
	req, _ := http.NewRequestWithContext(httpx.WithOperation(context.Background(), "op", true), http.MethodGet, srv.URL, nil)
	resp, err := rt.RoundTrip(req)
	require.NoError(t, err)
	_, err = io.ReadFull(resp.Body, make([]byte, 100))
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	assert.Empty(t, rec.Files())
	assert.Equal(t, 1, rec.Skipped())
	require.NoError(t, rec.Err())
}

// Requests without an operation (such as OAuth2 token requests) pass
// through unrecorded.
func TestRequestsWithoutOperationNotRecorded(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, `{"access_token":"x"}`)
	}))
	defer srv.Close()
	rec, err := record.New(t.TempDir())
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader("grant_type=client_credentials"))
	resp, err := rec.For("alida").Wrap(http.DefaultTransport).RoundTrip(req)
	require.NoError(t, err)
	_, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	assert.Empty(t, rec.Files())
}

func TestNewRefusesEmptyDir(t *testing.T) {
	_, err := record.New(" ")
	require.ErrorContains(t, err, "directory")
}

// Free text people write about a guest or a contact is masked; a message
// from the server is kept.
func TestPIIMaskingCoversNotes(t *testing.T) {
	rec, err := record.New(t.TempDir(), record.MaskPII(true))
	require.NoError(t, err)
	exchange(t, rec, "a", ``, `{"notes":"Ann is allergic to nuts","internalNotes":"VIP, call Ann on arrival",`+
		`"comment":"Asked for a ground-floor room","phoneNotes":"Ann prefers calls after 6","message":"Saved","title":"Gala dinner"}`, nil)
	f := readFixture(t, rec.Files()[0])
	body := f["response"].(map[string]any)["body"].(map[string]any)
	for _, key := range []string{"notes", "internalNotes", "comment", "phoneNotes"} {
		assert.Regexp(t, `^Text-[0-9a-f]+$`, body[key], key)
	}
	assert.Equal(t, "Saved", body["message"])
	assert.Equal(t, "Gala dinner", body["title"])
	raw, err := os.ReadFile(rec.Files()[0])
	require.NoError(t, err)
	for _, real := range []string{"allergic", "VIP", "ground-floor", "after 6"} {
		assert.NotContains(t, string(raw), real)
	}
}
