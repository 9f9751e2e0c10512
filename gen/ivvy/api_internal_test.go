package ivvy

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/fixtures"
	"github.com/invitekit/invitekit/internal/httpx"
)

type recordingTransport struct {
	seen []httpx.Operation
	uris []string
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op, _ := httpx.OperationFrom(req.Context())
	rt.seen = append(rt.seen, op)
	rt.uris = append(rt.uris, req.URL.RequestURI())
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: req}, nil
}

// The generated operation table must say what the spec says.
func TestOperationTableMatchesTheSpec(t *testing.T) {
	raw, err := os.ReadFile("../../specs/ivvy.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	n := 0
	for path, item := range doc.Paths.Map() {
		for method, o := range item.Operations() {
			n++
			op, ok := LookupOperation(o.OperationID)
			require.True(t, ok, "%s is not in the table", o.OperationID)
			assert.Equal(t, path, op.Path, o.OperationID)
			assert.Equal(t, method, op.Method, o.OperationID)
			assert.Equal(t, o.Extensions["x-retry-safe"], op.RetrySafe, "%s retry safety", o.OperationID)
			_, isCollection := o.Extensions["x-collection"]
			assert.Equal(t, isCollection, op.Iterator != "", "%s collection", o.OperationID)
			var notFound []int
			if list, ok := o.Extensions["x-not-found-codes"].([]any); ok {
				for _, c := range list {
					notFound = append(notFound, int(c.(float64)))
				}
			}
			slices.Sort(notFound)
			assert.Equal(t, notFound, op.NotFoundCodes, "%s not-found codes", o.OperationID)
			sec := doc.Security
			if o.Security != nil {
				sec = *o.Security
			}
			var auth []string
			for _, req := range sec {
				for name := range req {
					auth = append(auth, name)
				}
			}
			slices.Sort(auth)
			assert.Equal(t, auth, op.Auth, "%s auth", o.OperationID)
		}
	}
	assert.Len(t, Operations(), n)
}

// Every generated method must send its own operation, tagged with the
// operation's id and retry safety, to the operation's path.
func TestEveryMethodSendsItsOperation(t *testing.T) {
	rt := &recordingTransport{}
	a, err := New("k", "s", WithBaseURL("http://ivvy.test"), WithTransport(rt), WithMaxAttempts(1))
	require.NoError(t, err)
	ctx := context.Background()
	api := reflect.ValueOf(a)
	for _, op := range Operations() {
		name := strings.ToUpper(op.ID[:1]) + op.ID[1:]
		m := api.MethodByName(name)
		if !m.IsValid() {
			t.Errorf("no method %s for %s", name, op.ID)
			continue
		}
		in := []reflect.Value{reflect.ValueOf(ctx)}
		handWritten := op.ID == "inviteContacts" || op.ID == "uploadBookingDocument"
		for i := 1; i < m.Type().NumIn() && !handWritten; i++ {
			arg := reflect.New(m.Type().In(i))
			if body := fixtureRequestBody(t, op.ID); body != nil {
				require.NoError(t, json.Unmarshal(body, arg.Interface()), "%s: the fixture's request body", op.ID)
			}
			in = append(in, arg.Elem())
		}
		if op.ID == "inviteContacts" { // hand-written: checks its arguments before sending
			in = append(in, reflect.ValueOf(int64(1)), reflect.ValueOf([]int64{1}))
		}
		if op.ID == "uploadBookingDocument" { // hand-written: a file and its name
			in = append(in, reflect.ValueOf(UploadBookingDocumentFields{VenueID: 1, BookingID: 2, Type: 3, Status: 3}),
				reflect.ValueOf(io.Reader(strings.NewReader("file"))), reflect.ValueOf("a.pdf"))
		}
		before := len(rt.seen)
		m.Call(in)
		require.Len(t, rt.seen, before+1, "%s sent nothing", op.ID)
		got := rt.seen[before]
		assert.Equal(t, op.ID, got.ID)
		assert.Equal(t, op.RetrySafe, got.Safe, "%s retry safety", op.ID)
		assert.Equal(t, op.Path, rt.uris[before], op.ID)
	}
}

// fixtureRequestBody returns the request body of the first valid contract fixture
// of an iVvy operation, or nil.
func fixtureRequestBody(t *testing.T, id string) []byte {
	t.Helper()
	body, err := fixtures.RequestBody(filepath.Join("..", "..", "contract_tests", "testdata", "ivvy", id))
	require.NoError(t, err)
	return body
}

// A specific code means "not found" for the operations whose spec lists it
// (x-not-found-codes), and only for them.
func TestNotFoundCodesComeFromTheOperationTable(t *testing.T) {
	checked := 0
	all := map[int]bool{}
	for _, op := range Operations() {
		for _, c := range op.NotFoundCodes {
			all[c] = true
		}
	}
	for _, op := range Operations() {
		for _, c := range op.NotFoundCodes {
			err := &APIError{Operation: op.ID, StatusCode: 400, ErrorCode: 400, SpecificCode: c}
			assert.ErrorIs(t, err, ErrNotFound, "%s %d", op.ID, c)
			assert.ErrorIs(t, err, ErrInvalid, "%s %d: errorCode 400 still matches", op.ID, c)
			checked++
		}
		for c := range all {
			if !slices.Contains(op.NotFoundCodes, c) {
				err := &APIError{Operation: op.ID, StatusCode: 400, ErrorCode: 400, SpecificCode: c}
				assert.NotErrorIs(t, err, ErrNotFound, "%s does not list %d", op.ID, c)
			}
		}
	}
	require.Greater(t, checked, 50, "the spec lists not-found codes")
	// getInvoice lists 24137; an error of an operation the table does not
	// know matches any operation's code, and 0 never does.
	assert.ErrorIs(t, &APIError{Operation: "getInvoice", ErrorCode: 400, SpecificCode: 24137}, ErrNotFound)
	assert.ErrorIs(t, &APIError{Operation: "someFutureAction", ErrorCode: 400, SpecificCode: 24137}, ErrNotFound)
	assert.NotErrorIs(t, &APIError{Operation: "someFutureAction", ErrorCode: 400}, ErrNotFound)
	assert.NotErrorIs(t, &APIError{Operation: "getInvoice", ErrorCode: 400, SpecificCode: 23016}, ErrNotFound)
}
