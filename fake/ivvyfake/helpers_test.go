package ivvyfake_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/routers"
	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
	"github.com/invitekit/invitekit/specs"
)

// testRouter routes requests to the operations of the embedded spec.
var testRouter = sync.OnceValues(func() (*oas.Router, error) {
	doc, err := specs.Load(specs.Ivvy)
	if err != nil {
		return nil, err
	}
	return oas.NewRouter(doc)
})

// start is the fake clock's time in every test.
var start = time.Date(2026, time.November, 25, 12, 0, 0, 0, time.UTC)

// clock is a settable clock safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: start} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// env is a fake served over httptest with a signing client.
type env struct {
	t      *testing.T
	fake   *ivvyfake.Server
	srv    *httptest.Server
	clock  *clock
	signer *signing.Ivvy
	router *oas.Router
}

// newEnv serves the demo fake (plus opts) with a clock at start and a
// client signing with the demo key pair on the same clock.
func newEnv(t *testing.T, opts ...ivvyfake.Option) *env {
	t.Helper()
	clk := newClock()
	fake := ivvyfake.Demo(append([]ivvyfake.Option{ivvyfake.WithClock(clk.Now)}, opts...)...)
	return serve(t, clk, fake)
}

// serve serves fake over httptest with a client signing with the demo key
// pair on clk.
func serve(t *testing.T, clk *clock, fake *ivvyfake.Server) *env {
	t.Helper()
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	router, err := testRouter()
	require.NoError(t, err)
	return &env{
		t: t, fake: fake, srv: srv, clock: clk, router: router,
		signer: signing.NewIvvy(ivvyfake.DemoKey, redact.Secret(ivvyfake.DemoSecret), clk.Now),
	}
}

// response is a decoded reply.
type response struct {
	Status int
	Body   []byte
	JSON   map[string]any
}

// request builds an unsigned request for namespace/action with the raw body.
func (e *env) request(namespace, action string, body []byte) *http.Request {
	e.t.Helper()
	req, err := http.NewRequestWithContext(e.t.Context(), http.MethodPost, e.srv.URL+"/api/1.0/"+namespace+"?action="+action, bytes.NewReader(body))
	require.NoError(e.t, err)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// call signs and sends params (marshalled to JSON unless they are []byte)
// and checks the reply against the spec.
func (e *env) call(namespace, action string, params any) response {
	e.t.Helper()
	var body []byte
	switch p := params.(type) {
	case nil:
	case []byte:
		body = p
	default:
		var err error
		body, err = json.Marshal(p)
		require.NoError(e.t, err)
	}
	req := e.request(namespace, action, body)
	require.NoError(e.t, e.signer.Edit(e.t.Context(), req))
	return e.send(req)
}

// send sends a prepared request, decodes the reply and validates it
// against the spec when the spec describes the operation.
func (e *env) send(req *http.Request) response {
	e.t.Helper()
	var reqBody []byte
	if req.GetBody != nil {
		rc, err := req.GetBody()
		require.NoError(e.t, err)
		reqBody, err = io.ReadAll(rc)
		require.NoError(e.t, err)
	}
	resp, err := e.srv.Client().Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	require.Equal(e.t, "application/json", resp.Header.Get("Content-Type"))
	out := response{Status: resp.StatusCode, Body: body}
	if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("[")) { // a few actions answer with a bare array
		require.NoError(e.t, json.Unmarshal(body, &out.JSON), "body: %s", body)
	} else {
		require.True(e.t, json.Valid(body), "body: %s", body)
	}
	e.checkSpec(req, reqBody, resp, body)
	checkTypes(e.t, req.URL.Query().Get("action"), resp.StatusCode, body)
	return out
}

// typed returns a pointer to the generated type a reply to action decodes
// into.
func typed(action string, status int) any {
	if status != http.StatusOK {
		return new(ivvy.Exception)
	}
	switch action {
	case "ping":
		return new(ivvy.PingResult)
	case "addOrUpdateEvent", "addOrUpdateContact":
		return new(ivvy.AddOrUpdateResult)
	case "getEventList":
		return new(ivvy.EventCollection)
	case "getEvent":
		return new(ivvy.Event)
	case "getRegistration":
		return new(ivvy.Registration)
	case "getRegistrationList":
		return new(ivvy.RegistrationCollection)
	case "getAttendee":
		return new(ivvy.Attendee)
	case "getAttendeeList":
		return new(ivvy.AttendeeCollection)
	case "getInvitedContactList":
		return new(ivvy.InvitedContactCollection)
	case "inviteContacts":
		return new(ivvy.InviteContactsResult)
	case "getSponsorshipList":
		return new(ivvy.SponsorCollection)
	case "getSpeakerList":
		return new(ivvy.SpeakerCollection)
	case "getSessionList":
		return new(ivvy.EventSessionCollection)
	case "createLoginToken":
		return new(ivvy.LoginToken)
	case "getContactList":
		return new(ivvy.ContactCollection)
	case "getContact":
		return new(ivvy.Contact)
	case "run":
		return new(ivvy.BatchRunResult)
	case "progress":
		return new(ivvy.BatchProgress)
	case "results":
		return new(ivvy.BatchResults)
	case "restart":
		return new(ivvy.BatchRestartResult)
	case "repost":
		return new(ivvy.BatchRepostResult)
	}
	return nil
}

// checkTypes decodes a reply into its generated type with unknown fields
// refused, so the fake sends no field the spec does not describe.
func checkTypes(t *testing.T, action string, status int, body []byte) {
	t.Helper()
	target := typed(action, status)
	if target == nil {
		return
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	require.NoError(t, dec.Decode(target), "%s reply does not decode into %T: %s", action, target, body)
}

// checkSpec validates a response against the spec's description of the
// request's operation (skipped for requests the spec cannot route, such as
// unknown actions).
func (e *env) checkSpec(req *http.Request, reqBody []byte, resp *http.Response, body []byte) {
	e.t.Helper()
	vreq, err := http.NewRequestWithContext(e.t.Context(), req.Method, req.URL.String(), bytes.NewReader(reqBody))
	require.NoError(e.t, err)
	vreq.Header = req.Header.Clone()
	if _, _, err := e.router.FindRoute(vreq); errors.Is(err, routers.ErrPathNotFound) || errors.Is(err, routers.ErrMethodNotAllowed) {
		return
	}
	in, err := oas.ValidateRequest(e.t.Context(), e.router, vreq)
	if in == nil {
		require.NoError(e.t, err)
	}
	// Invalid requests are sent on purpose by some tests; their
	// responses must still match the spec.
	require.NoError(e.t, oas.ValidateResponse(e.t.Context(), in, resp.StatusCode, resp.Header, body),
		"response to %s does not match the spec: %s", req.URL.RequestURI(), body)
}

// requireException checks an Exception reply.
func requireException(t *testing.T, r response, status, errorCode, specificCode int) {
	t.Helper()
	require.Equal(t, status, r.Status, "body: %s", r.Body)
	require.EqualValues(t, errorCode, r.JSON["errorCode"], "body: %s", r.Body)
	if specificCode == 0 {
		require.NotContains(t, r.JSON, "specificCode", "body: %s", r.Body)
	} else {
		require.EqualValues(t, specificCode, r.JSON["specificCode"], "body: %s", r.Body)
	}
	require.NotEmpty(t, r.JSON["message"])
}

// results returns the results of a collection reply.
func results(t *testing.T, r response) []map[string]any {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	raw, ok := r.JSON["results"].([]any)
	require.True(t, ok, "no results array in %s", r.Body)
	out := make([]map[string]any, len(raw))
	for i, x := range raw {
		out[i] = x.(map[string]any)
	}
	return out
}

// meta returns the meta object of a collection reply.
func meta(t *testing.T, r response) map[string]any {
	t.Helper()
	m, ok := r.JSON["meta"].(map[string]any)
	require.True(t, ok, "no meta in %s", r.Body)
	return m
}

// ids returns the "id" (or key) values of results as int64s.
func ids(t *testing.T, rs []map[string]any, key string) []int64 {
	t.Helper()
	out := make([]int64, 0, len(rs))
	for _, r := range rs {
		var n ivvy.Int
		b, err := json.Marshal(r[key])
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &n))
		out = append(out, int64(n))
	}
	return out
}
