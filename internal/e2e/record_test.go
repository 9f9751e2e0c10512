package e2e

import (
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/fixturecheck"
	"github.com/invitekit/invitekit/internal/fixtures"
	"github.com/invitekit/invitekit/record"
	"github.com/invitekit/invitekit/specs"
)

// fixtureBody returns the request body of the first valid contract fixture
// of an iVvy operation, or nil.
func fixtureBody(t *testing.T, id string) []byte {
	t.Helper()
	body, err := fixtures.RequestBody(filepath.Join("..", "..", "contract_tests", "testdata", "ivvy", id))
	require.NoError(t, err)
	return body
}

// callEveryIvvyOperation calls the method of every iVvy operation once,
// with the request of a contract fixture. It returns the operations that
// have no method.
func callEveryIvvyOperation(t *testing.T, ctx context.Context, api *ivvy.API) []string {
	t.Helper()
	var missing []string
	v := reflect.ValueOf(api)
	for _, op := range ivvy.Operations() {
		m := v.MethodByName(strings.ToUpper(op.ID[:1]) + op.ID[1:])
		if !m.IsValid() {
			missing = append(missing, op.ID)
			continue
		}
		in := []reflect.Value{reflect.ValueOf(ctx)}
		switch op.ID {
		case "inviteContacts":
			in = append(in, reflect.ValueOf(int64(1)), reflect.ValueOf([]int64{7, 8}))
		case "uploadBookingDocument":
			in = append(in, reflect.ValueOf(ivvy.UploadBookingDocumentFields{VenueID: 1, BookingID: 29836, Type: 3, Status: 3}),
				reflect.ValueOf(io.Reader(strings.NewReader("%PDF-1.4 quote"))), reflect.ValueOf("quote.pdf"))
		default:
			for i := 1; i < m.Type().NumIn(); i++ {
				arg := reflect.New(m.Type().In(i))
				if body := fixtureBody(t, op.ID); body != nil {
					require.NoError(t, json.Unmarshal(body, arg.Interface()), op.ID)
				}
				in = append(in, arg.Elem())
			}
		}
		m.Call(in)
	}
	return missing
}

// recordWorld drives every operation of the three APIs against the fakes
// (with the canary credentials) with recording on, and returns the
// recorder and the world.
func recordWorld(t *testing.T, dir string, opts ...record.Option) (*record.Recorder, *canaryWorld, []string) {
	t.Helper()
	w := newCanaryWorld(t)
	w.phase("success")
	ctx := t.Context()
	rec, err := record.New(dir, opts...)
	require.NoError(t, err)

	iv, err := ivvy.New(canaryIvvyKey, canaryIvvySecret, ivvy.WithBaseURL(w.url), ivvy.WithTransport(newTransport(t)), ivvy.WithRecorder(rec))
	require.NoError(t, err)
	missing := callEveryIvvyOperation(t, ctx, iv)

	for _, auth := range []alida.Auth{alida.BasicAuth(canaryAlidaUser, canaryAlidaPassword), alida.ClientCredentials(canaryAlidaClient, canaryAlidaClientSecret, "")} {
		al, err := alida.New(alidafake.DemoCommunity, auth, alida.WithBaseURL(w.url), alida.WithTransport(newTransport(t)), alida.WithRecorder(rec))
		require.NoError(t, err)
		r := driveAlida(ctx, al, &evidence{}, "record")
		require.Positive(t, r.ok, "%v", r.errs)
	}

	inv, err := invitario.New(invitario.Credentials{EventID: invitariofake.DemoEventID, AppCode: invitario.Secret(canaryAppCode), Station: canaryStation},
		invitario.WithBaseURL(w.url), invitario.WithTransport(newTransport(t)), invitario.WithRecorder(rec))
	require.NoError(t, err)
	_, err = inv.Login(ctx)
	require.NoError(t, err)
	for _, err := range inv.GuestsAll(ctx, nil) {
		require.NoError(t, err)
	}
	for _, err := range inv.GuestsRecent(ctx, time.Now().Add(-time.Hour), nil) {
		require.NoError(t, err)
	}
	require.NoError(t, inv.Close(ctx))
	require.NoError(t, rec.Err())
	return rec, w, missing
}

// TestRecordThenCheckEveryOperation records every operation of the three
// APIs against the fakes and checks the recordings against the specs: all
// must fit, and every operation must have been recorded.
func TestRecordThenCheckEveryOperation(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec, _, missing := recordWorld(t, dir)
	if len(missing) > 0 {
		t.Logf("operations without a method, not driven: %v", missing)
	}
	require.NotEmpty(t, rec.Files())

	rep, err := fixturecheck.Check(dir)
	require.NoError(t, err)
	var out strings.Builder
	rep.Write(&out)
	require.False(t, rep.Failed(), out.String())

	recorded := map[string]bool{}
	for _, f := range rep.Files {
		recorded[f.API+" "+f.Operation] = true
		rel, err := filepath.Rel(dir, f.Path)
		require.NoError(t, err)
		parts := strings.Split(filepath.ToSlash(rel), "/")
		require.Len(t, parts, 3, f.Path)
		assert.Equal(t, []string{f.API, f.Operation}, parts[:2], "file named by API and operation")
	}
	for _, api := range specs.All() {
		doc, err := specs.Load(api)
		require.NoError(t, err)
		for _, item := range doc.Paths.Map() {
			for _, op := range item.Operations() {
				if api == specs.Ivvy && contains(missing, op.OperationID) {
					continue
				}
				assert.True(t, recorded[string(api)+" "+op.OperationID], "%s %s was not recorded", api, op.OperationID)
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCanaryNoSecretInRecordings scans every recorded file for the canary
// credentials and every token the fakes issued, in every form.
func TestCanaryNoSecretInRecordings(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rec, w, _ := recordWorld(t, dir, record.Sensitive("Product Launch"))
	assert.Positive(t, w.c.count("Invitario session token"), "the fake's session tokens are among the canaries")
	assert.Positive(t, w.c.count("bearer token"))
	var all strings.Builder
	for _, f := range rec.Files() {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		assert.Empty(t, w.c.find(string(b)), "%s", f)
		all.Write(b)
	}
	text := all.String()
	assert.Contains(t, text, `"X-Api-Authorization": "IWS [redacted]"`)
	assert.Contains(t, text, `"Authorization": "Basic [redacted]"`)
	assert.Contains(t, text, `"Authorization": "Bearer [redacted]"`)
	assert.Contains(t, text, `"sessionToken": "[redacted]"`)
	assert.Contains(t, text, `"apiKey": "[redacted]"`)
	assert.NotContains(t, text, "Product Launch", "a value the caller marked sensitive")
}
