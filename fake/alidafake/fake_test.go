package alidafake_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// exchange sends one request to the fake and, for API paths, validates the
// answer against the spec.
func exchange(t *testing.T, f *alidafake.Server, method, target string, header map[string]string, body string) (int, http.Header, []byte) {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, "http://alida.test"+target, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if body != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	f.ServeHTTP(rec, req)
	res := rec.Result()
	data, err := io.ReadAll(res.Body)
	require.NoError(t, err)

	if strings.HasPrefix(target, "/v1/") {
		doc, err := specs.Load(specs.Alida)
		require.NoError(t, err)
		router, err := oas.NewRouter(doc)
		require.NoError(t, err)
		vreq := httptest.NewRequestWithContext(t.Context(), method, "http://alida.test"+target, strings.NewReader(body))
		for k, v := range header {
			vreq.Header.Set(k, v)
		}
		if body != "" && vreq.Header.Get("Content-Type") == "" {
			vreq.Header.Set("Content-Type", "application/json")
		}
		if in, err := oas.ValidateRequest(t.Context(), router, vreq); err == nil {
			require.NoError(t, oas.ValidateResponse(t.Context(), in, res.StatusCode, res.Header, data), "answer %d %s", res.StatusCode, data)
		} else {
			var e alida.Error
			require.NoError(t, json.Unmarshal(data, &e), "an invalid request gets the error body: %s", data)
		}
	}
	return res.StatusCode, res.Header, data
}

var basic = map[string]string{"Authorization": "Basic ZGVtby11c2VyOmRlbW8tcGFzc3dvcmQ="} // demo-user:demo-password

const eventsPath = "/v1/applications/demo-community/invitationevents"

func events(member, communication, eventType string) string {
	return `[{"memberId":"` + member + `","communicationId":"` + communication + `","eventType":"` + eventType + `"}]`
}

func withReturn(h map[string]string) map[string]string {
	out := map[string]string{"x-webapi-return-resource": "true"}
	for k, v := range h {
		out[k] = v
	}
	return out
}

func TestCredentials(t *testing.T) {
	f := alidafake.Demo()
	q := "/v1/applications/demo-community/invitationevents/queuedafter/2020-01-01"
	code, _, body := exchange(t, f, http.MethodGet, q, nil, "")
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, string(body), "errorId")

	code, _, _ = exchange(t, f, http.MethodGet, q, map[string]string{"Authorization": "Basic ZGVtby11c2VyOndyb25n"}, "") // demo-user:wrong
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _, _ = exchange(t, f, http.MethodGet, q, map[string]string{"Authorization": "Bearer made-up"}, "")
	assert.Equal(t, http.StatusUnauthorized, code)
	code, _, _ = exchange(t, f, http.MethodGet, q, basic, "")
	assert.Equal(t, http.StatusOK, code)
}

func token(t *testing.T, f *alidafake.Server, form url.Values, header map[string]string) (int, map[string]any) {
	t.Helper()
	h := map[string]string{"Content-Type": "application/x-www-form-urlencoded"}
	for k, v := range header {
		h[k] = v
	}
	code, _, body := exchange(t, f, http.MethodPost, alidafake.TokenPath, h, form.Encode())
	var out map[string]any
	require.NoError(t, json.Unmarshal(body, &out), string(body))
	return code, out
}

func TestTokenEndpointAndExpiry(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	f := alidafake.Demo(alidafake.WithClock(func() time.Time { return now }), alidafake.WithTokenLifetime(5*time.Minute))

	// Credentials in the form.
	code, tok := token(t, f, url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-client"}, "client_secret": {"demo-client-secret"}}, nil)
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, "Bearer", tok["token_type"])
	assert.EqualValues(t, 300, tok["expires_in"])
	access := tok["access_token"].(string)

	// Credentials as Basic.
	req := httptest.NewRequest(http.MethodPost, "/", nil)
	req.SetBasicAuth("demo-client", "demo-client-secret")
	code, _ = token(t, f, url.Values{"grant_type": {"client_credentials"}}, map[string]string{"Authorization": req.Header.Get("Authorization")})
	require.Equal(t, http.StatusOK, code)
	assert.Equal(t, 2, f.TokenRequests())

	code, tok = token(t, f, url.Values{"grant_type": {"client_credentials"}, "client_id": {"demo-client"}, "client_secret": {"wrong"}}, nil)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Equal(t, "invalid_client", tok["error"])
	code, tok = token(t, f, url.Values{"grant_type": {"password"}}, nil)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Equal(t, "unsupported_grant_type", tok["error"])
	assert.Equal(t, 2, f.TokenRequests())

	q := "/v1/applications/demo-community/invitationevents/queuedafter/2020"
	bearer := map[string]string{"Authorization": "Bearer " + access}
	code, _, _ = exchange(t, f, http.MethodGet, q, bearer, "")
	assert.Equal(t, http.StatusOK, code)
	now = now.Add(5 * time.Minute)
	code, _, _ = exchange(t, f, http.MethodGet, q, bearer, "")
	assert.Equal(t, http.StatusUnauthorized, code, "expired")
}

func TestPostShapes(t *testing.T) {
	f := alidafake.Demo()
	alice := alidafake.DemoMembers["alice@example.com"].String()
	open := alidafake.DemoOpenCommunication.String()

	code, h, body := exchange(t, f, http.MethodPost, eventsPath, basic, events(alice, open, "SurveyInvited"))
	assert.Equal(t, http.StatusCreated, code)
	assert.Empty(t, body)
	assert.Empty(t, h.Get("Content-Type"))

	code, _, body = exchange(t, f, http.MethodPost, eventsPath, withReturn(basic), events(alice, open, "SurveyInvited"))
	assert.Equal(t, http.StatusCreated, code)
	res, err := alida.ParseCreated(body)
	require.NoError(t, err)
	assert.Equal(t, alida.OutcomeNothingQueued, res.Outcome, "alice was dequeued by the first POST")

	bob := alidafake.DemoMembers["bob@example.com"].String()
	code, _, body = exchange(t, f, http.MethodPost, eventsPath, withReturn(basic), events(bob, open, "Undeliverable"))
	assert.Equal(t, http.StatusCreated, code)
	res, err = alida.ParseCreated(body)
	require.NoError(t, err)
	require.Equal(t, alida.OutcomeQueuedWithEvents, res.Outcome)
	assert.Equal(t, "Undeliverable", res.Events[0].EventType)
	assert.Equal(t, 2, f.QueuedCount(alidafake.DemoCommunity))
}

func TestPostRejections(t *testing.T) {
	f := alidafake.Demo()
	alice := alidafake.DemoMembers["alice@example.com"].String()
	open := alidafake.DemoOpenCommunication.String()
	for name, tc := range map[string]struct {
		path, body string
		status     int
	}{
		"closed":            {eventsPath, events(alice, alidafake.DemoClosedCommunication.String(), "SurveyInvited"), 400},
		"unknown member":    {eventsPath, events("99999999-9999-4999-8999-999999999999", open, "SurveyInvited"), 404},
		"unknown comm":      {eventsPath, events(alice, "99999999-9999-4999-8999-999999999999", "SurveyInvited"), 404},
		"unknown community": {"/v1/applications/other/invitationevents", events(alice, open, "SurveyInvited"), 404},
		"bad event type":    {eventsPath, events(alice, open, "Reminded"), 400},
		"empty array":       {eventsPath, `[]`, 400},
		"not json":          {eventsPath, `{`, 400},
		"unknown path":      {eventsPath + "/x", events(alice, open, "SurveyInvited"), 404},
	} {
		code, _, body := exchange(t, f, http.MethodPost, tc.path, withReturn(basic), tc.body)
		assert.Equal(t, tc.status, code, name)
		var e alida.Error
		require.NoError(t, json.Unmarshal(body, &e), name)
		assert.Equal(t, tc.status, e.Status, name)
		assert.NotNil(t, e.ErrorID, name)
	}
	assert.Empty(t, f.Events(alidafake.DemoCommunity))
	assert.Equal(t, 4, f.QueuedCount(alidafake.DemoCommunity))
}

func TestQueuedPaging(t *testing.T) {
	f := alidafake.Demo()
	base := "/v1/applications/demo-community/invitationevents/queuedafter/2020-01-01"
	var members []string
	next := base + "?limit=3"
	pages := 0
	for next != "" {
		code, _, body := exchange(t, f, http.MethodGet, next, basic, "")
		require.Equal(t, http.StatusOK, code, string(body))
		pages++
		var page alida.InvitationEventCollection
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		require.NoError(t, dec.Decode(&page))
		for _, it := range page.Items {
			members = append(members, it.MemberID.String())
		}
		assert.Equal(t, 4, page.Meta.Count)
		require.Len(t, page.Links, 4)
		next = ""
		for _, l := range page.Links {
			if l.Rel == "next" && l.Href != "" {
				u, err := url.Parse(l.Href)
				require.NoError(t, err)
				assert.Equal(t, "alida.test", u.Host)
				next = u.RequestURI()
			}
		}
	}
	assert.Equal(t, 2, pages)
	require.Len(t, members, 4)
	assert.Equal(t, alidafake.DemoMembers["alice@example.com"].String(), members[0])

	code, _, body := exchange(t, f, http.MethodGet, base+"?fields=memberId", basic, "")
	require.Equal(t, http.StatusOK, code)
	assert.NotContains(t, string(body), `"title"`)
	assert.Contains(t, string(body), `"memberId"`)

	code, _, _ = exchange(t, f, http.MethodGet, base+"?limit=0", basic, "")
	assert.Equal(t, http.StatusBadRequest, code)
}

func TestMemberIDByEmail(t *testing.T) {
	f := alidafake.Demo()
	id, ok := f.MemberIDByEmail(alidafake.DemoCommunity, " Carol@Example.com")
	require.True(t, ok)
	assert.Equal(t, alidafake.DemoMembers["carol@example.com"], id)
	_, ok = f.MemberIDByEmail(alidafake.DemoCommunity, "eve@example.com")
	assert.False(t, ok)
	_, ok = f.MemberIDByEmail("nope", "carol@example.com")
	assert.False(t, ok)
}
