package ivvyfake_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
	"github.com/invitekit/invitekit/specs"
)

func TestPingAnswersServerTime(t *testing.T) {
	e := newEnv(t)
	e.clock.Add(90 * time.Second)
	r := e.call("test", "ping", nil)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, "2026-11-25 12:01:30 UTC", r.JSON["ack"])

	var typed ivvy.PingResult
	require.NoError(t, json.Unmarshal(r.Body, &typed))
	assert.True(t, typed.Ack.Equal(start.Add(90*time.Second)))
	assert.Equal(t, 1, e.fake.Calls("ping"))
	assert.Equal(t, 0, e.fake.Calls("inviteContacts"))
}

func TestPingAcceptsTheBodiesClientsSend(t *testing.T) {
	e := newEnv(t)
	for _, body := range []string{"", "[]", "{}"} {
		r := e.call("test", "ping", []byte(body))
		assert.Equal(t, http.StatusOK, r.Status, "body %q: %s", body, r.Body)
	}
	assert.Equal(t, 3, e.fake.Calls("ping"))
}

func TestInviteContacts(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "inviteContacts", map[string]any{"event": 3, "contacts": []int64{1, 999, 2}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)

	var res ivvy.InviteContactsResult
	require.NoError(t, json.Unmarshal(r.Body, &res))
	require.Len(t, res.Results, 3)
	for i, want := range []struct {
		id int64
		ok bool
	}{{1, true}, {999, false}, {2, true}} {
		got := res.Results[i]
		assert.EqualValues(t, want.id, got.Contact)
		assert.Equal(t, want.ok, got.Status)
		if want.ok {
			require.NotEmpty(t, got.InviteLinkYes)
			require.NotEmpty(t, got.InviteLinkNo)
			assert.True(t, strings.HasPrefix(got.InviteLinkYes, e.srv.URL+"/event/GALA26/"), got.InviteLinkYes)
			assert.NotEqual(t, got.InviteLinkYes, got.InviteLinkNo)
		} else {
			assert.Empty(t, got.InviteLinkYes)
			assert.Empty(t, got.InviteLinkNo)
		}
	}
	// The raw body leaves the links out for the unknown contact.
	raw := r.JSON["results"].([]any)[1].(map[string]any)
	assert.Equal(t, map[string]any{"contact": float64(999), "status": false}, raw)

	invs := e.fake.Invitations(3)
	require.Len(t, invs, 2)
	for i, id := range []int64{1, 2} {
		assert.Equal(t, id, invs[i].ContactID)
		assert.Equal(t, ivvyfake.ResponseUndecided, invs[i].Response)
		assert.True(t, invs[i].ModifiedDate.Equal(start))
	}
	assert.Equal(t, 1, e.fake.Calls("inviteContacts"))
}

func TestInviteContactsKeepsEarlierResponses(t *testing.T) {
	e := newEnv(t)
	before := e.fake.Invitations(1)
	r := e.call("event", "inviteContacts", map[string]any{"event": 1, "contacts": []int64{1, 2, 4}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	after := e.fake.Invitations(1)
	assert.Len(t, after, len(before)+1)
	got := map[int64]string{}
	for _, inv := range after {
		got[inv.ContactID] = inv.Response
	}
	assert.Equal(t, "Y", got[1])
	assert.Equal(t, "N", got[2])
	assert.Equal(t, "U", got[4])
}

func TestInviteContactsUnknownEvent(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "inviteContacts", map[string]any{"event": 404, "contacts": []int64{1}})
	requireException(t, r, http.StatusBadRequest, 400, 0)
	assert.Empty(t, e.fake.Invitations(404))
}

func TestSignatureFailures(t *testing.T) {
	e := newEnv(t)
	body := []byte(`{"event":1,"contacts":[1]}`)
	sign := func(key, secret string, now time.Time) *http.Request {
		req := e.request("event", "inviteContacts", body)
		require.NoError(t, signing.NewIvvy(key, redact.Secret(secret), func() time.Time { return now }).Edit(t.Context(), req))
		return req
	}
	cases := []struct {
		name     string
		req      func() *http.Request
		specific int
		message  string
	}{
		{"wrong secret", func() *http.Request { return sign(ivvyfake.DemoKey, "not-the-secret", start) }, 0, "signature"},
		{"unknown key", func() *http.Request { return sign("who-is-this", ivvyfake.DemoSecret, start) }, 0, "unknown API key"},
		{"stale date", func() *http.Request {
			return sign(ivvyfake.DemoKey, ivvyfake.DemoSecret, start.Add(-5*time.Minute-time.Second))
		}, 23005, "stale"},
		{"date in the future", func() *http.Request { return sign(ivvyfake.DemoKey, ivvyfake.DemoSecret, start.Add(6*time.Minute)) }, 23005, "stale"},
		{"no authorization", func() *http.Request { return e.request("event", "inviteContacts", body) }, 0, "X-Api-Authorization"},
		{"body changed after signing", func() *http.Request {
			req := sign(ivvyfake.DemoKey, ivvyfake.DemoSecret, start)
			other := e.request("event", "inviteContacts", []byte(`{"event":1,"contacts":[2]}`))
			other.Header = req.Header.Clone()
			return other
		}, 0, "Content-MD5"},
		{"path changed after signing", func() *http.Request {
			req := sign(ivvyfake.DemoKey, ivvyfake.DemoSecret, start)
			other := e.request("event", "inviteContacts", body)
			other.Header = req.Header.Clone()
			other.URL.RawQuery = "action=inviteContacts&x=1"
			return other
		}, 0, "signature"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.send(tc.req())
			requireException(t, r, http.StatusUnauthorized, 401, tc.specific)
			assert.Contains(t, r.JSON["message"], tc.message)
			assert.NotContains(t, string(r.Body), ivvyfake.DemoSecret)
			assert.NotContains(t, string(r.Body), "not-the-secret")
		})
	}
	// Nothing was invited by the refused requests.
	for _, inv := range e.fake.Invitations(1) {
		assert.False(t, inv.ModifiedDate.Equal(start), "contact %d was re-invited", inv.ContactID)
	}
}

func TestSignatureWindowEdges(t *testing.T) {
	e := newEnv(t)
	for _, skew := range []time.Duration{-4*time.Minute - 59*time.Second, 4 * time.Minute, 0} {
		now := start.Add(skew)
		req := e.request("test", "ping", nil)
		require.NoError(t, signing.NewIvvy(ivvyfake.DemoKey, redact.Secret(ivvyfake.DemoSecret), func() time.Time { return now }).Edit(t.Context(), req))
		r := e.send(req)
		assert.Equal(t, http.StatusOK, r.Status, "skew %s: %s", skew, r.Body)
	}
}

func TestServerWithoutKeysRefusesEverything(t *testing.T) {
	clk := newClock()
	e := serve(t, clk, ivvyfake.New(ivvyfake.WithClock(clk.Now)))
	r := e.call("test", "ping", nil)
	requireException(t, r, http.StatusUnauthorized, 401, 0)
}

func TestWithKeyAcceptsSeveralKeys(t *testing.T) {
	clk := newClock()
	e := serve(t, clk, ivvyfake.New(ivvyfake.WithClock(clk.Now), ivvyfake.WithKey("k1", "s1"), ivvyfake.WithKey("k2", "s2")))
	for _, kp := range [][2]string{{"k1", "s1"}, {"k2", "s2"}} {
		e.signer = signing.NewIvvy(kp[0], redact.Secret(kp[1]), clk.Now)
		assert.Equal(t, http.StatusOK, e.call("test", "ping", nil).Status)
	}
	e.signer = signing.NewIvvy("k1", redact.Secret("s2"), clk.Now)
	requireException(t, e.call("test", "ping", nil), http.StatusUnauthorized, 401, 0)
}

func TestInvalidRequests(t *testing.T) {
	e := newEnv(t)
	before := e.fake.Invitations(1)
	// Contact 9 exists and is not invited to event 1: a request let through
	// would add an invitation.
	cases := []struct {
		name     string
		body     string
		specific int
		message  string
	}{
		{"missing contacts", `{"event":1}`, 23017, "'contacts' is required"},
		{"missing event", `{"contacts":[9]}`, 23017, "'event' is required"},
		{"contacts not an array", `{"event":1,"contacts":"9"}`, 23016, "'contacts' does not validate"},
		{"event not a number", `{"event":"1","contacts":[9]}`, 23016, "'event' does not validate"},
		{"no contacts", `{"event":1,"contacts":[]}`, 23016, "'contacts' does not validate"},
		{"not JSON", `{"event":1,"contacts":[9]`, 23016, "The request does not validate"},
		{"no body", ``, 23017, "The request parameters are required"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call("event", "inviteContacts", []byte(tc.body))
			requireException(t, r, http.StatusBadRequest, 400, tc.specific)
			assert.Equal(t, tc.message, r.JSON["message"])
		})
	}
	assert.Equal(t, before, e.fake.Invitations(1), "no invitation was created or changed")

	// The same call, valid, does invite contact 9.
	r := e.call("event", "inviteContacts", []byte(`{"event":1,"contacts":[9]}`))
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	assert.Len(t, e.fake.Invitations(1), len(before)+1)
}

func TestUnknownActionsAndMethods(t *testing.T) {
	e := newEnv(t)
	requireException(t, e.call("event", "deleteEverything", map[string]any{}), http.StatusNotFound, 404, 0)
	requireException(t, e.call("venue", "getVenueBrochure", map[string]any{}), http.StatusNotFound, 404, 0)

	req := e.request("test", "ping", nil)
	req.URL.Path = "/api/2.0/test"
	require.NoError(t, e.signer.Edit(t.Context(), req))
	requireException(t, e.send(req), http.StatusNotFound, 404, 0)

	req = e.request("test", "ping", nil)
	req.Method = http.MethodGet
	require.NoError(t, e.signer.Edit(t.Context(), req))
	requireException(t, e.send(req), http.StatusMethodNotAllowed, 405, 0)
	assert.Equal(t, 1, e.fake.Calls("ping"))
	assert.Zero(t, e.fake.Calls("deleteEverything"), "unknown actions are not counted")
}

func TestConcurrentInvitations(t *testing.T) {
	e := newEnv(t)
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			r := e.call("event", "inviteContacts", map[string]any{"event": 3, "contacts": []int64{int64(i + 1), int64(i + 2)}})
			assert.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		})
	}
	wg.Wait()
	assert.Len(t, e.fake.Invitations(3), 21)
	assert.Equal(t, 20, e.fake.Calls("inviteContacts"))
}

func TestEveryOperationOfTheSpecIsServed(t *testing.T) {
	e := newEnv(t)
	doc, err := specs.Load(specs.Ivvy)
	require.NoError(t, err)
	n := 0
	for key := range doc.Paths.Map() {
		namespace, action, ok := strings.Cut(strings.TrimPrefix(key, "/api/1.0/"), "?action=")
		require.True(t, ok, key)
		before := e.fake.Calls(action)
		r := e.call(namespace, action, map[string]any{})
		assert.NotContains(t, string(r.Body), "Unknown action", key)
		assert.NotEqual(t, http.StatusNotFound, r.Status, "%s: %s", key, r.Body)
		assert.Equal(t, before+1, e.fake.Calls(action), key)
		n++
	}
	assert.Greater(t, n, 150, "the whole documented API")
}

// An action without a stateful handler is served from the spec: checked
// like any other request, answered with the spec's example.
func TestSpecOnlyActionIsAnsweredFromItsExample(t *testing.T) {
	e := newEnv(t)
	doc, err := specs.Load(specs.Ivvy)
	require.NoError(t, err)
	op := doc.Paths.Value("/api/1.0/account?action=getIndustryList").Post
	require.NotNil(t, op)
	want, ok := oas.SuccessExample(op)
	require.True(t, ok)

	r := e.call("account", "getIndustryList", map[string]any{})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	assert.JSONEq(t, string(wantJSON), string(r.Body))

	// The request is still checked against the spec.
	r = e.call("account", "getIndustryList", map[string]any{"perPage": "many"})
	assert.Equal(t, http.StatusBadRequest, r.Status, "%s", r.Body)
	assert.Contains(t, string(r.Body), "23016")
}
