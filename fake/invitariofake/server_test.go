package invitariofake_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/invitario"
)

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// post sends a raw request and decodes the JSON answer.
func post(t *testing.T, srv *httptest.Server, path, body string) (int, map[string]any) {
	t.Helper()
	resp, err := http.Post(srv.URL+path, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	}
	return resp.StatusCode, out
}

func errCode(t *testing.T, body map[string]any) float64 {
	t.Helper()
	require.Equal(t, "error", body["status"], body)
	errs := body["errors"].([]any)
	require.Len(t, errs, 1)
	return errs[0].(map[string]any)["code"].(float64)
}

func login(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	status, body := post(t, srv, "/api/v1/login", `{"eventId":"1001","apiKey":"demo-app-code","stationName":"Main Entrance"}`)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "success", body["status"], body)
	tok := body["sessionToken"].(string)
	require.Len(t, tok, 40)
	return tok
}

func TestLoginAndErrors(t *testing.T) {
	f := invitariofake.Demo()
	srv := httptest.NewServer(f)
	defer srv.Close()

	_, body := post(t, srv, "/api/v1/login", `{"eventId":"1","apiKey":"demo-app-code","stationName":"x"}`)
	assert.Equal(t, 1000.0, errCode(t, body))
	_, body = post(t, srv, "/api/v1/login", `{"eventId":"1001","apiKey":"nope","stationName":"x"}`)
	assert.Equal(t, 1010.0, errCode(t, body))
	_, body = post(t, srv, "/api/v1/login", `{"eventId":`)
	assert.Equal(t, 10.0, errCode(t, body))
	_, body = post(t, srv, "/api/v1/login", `{"eventId":"1001","stationName":"x"}`)
	assert.Equal(t, 20.0, errCode(t, body))
	assert.Contains(t, body["errors"].([]any)[0].(map[string]any)["message"], "apiKey")
	_, body = post(t, srv, "/api/v1/login", `{"eventId":1001,"apiKey":"demo-app-code","stationName":"x"}`)
	assert.Equal(t, 10.0, errCode(t, body), "a number where the spec wants a string")
	assert.Len(t, f.Violations(), 3, "the malformed requests are recorded")
	assert.Zero(t, f.Logins())

	tok := login(t, srv)
	assert.Equal(t, 1, f.Logins())
	_, body = post(t, srv, "/api/v1/guest/list/all", `{"sessionToken":"`+tok+`"}`)
	assert.Equal(t, "success", body["status"])
	assert.Len(t, body["guests"], len(invitariofake.DemoGuests))

	resp, err := http.Get(srv.URL + "/api/v1/login")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	status, _ := post(t, srv, "/api/v1/nothing", `{}`)
	assert.Equal(t, http.StatusNotFound, status)
}

func TestHTTPErrors(t *testing.T) {
	srv := httptest.NewServer(invitariofake.Demo(invitariofake.WithHTTPErrors(true)))
	defer srv.Close()
	status, body := post(t, srv, "/api/v1/guest/list/all", `{"sessionToken":"0123456789abcdef0123456789abcdef01234567"}`)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, 30.0, errCode(t, body))
	status, _ = post(t, srv, "/api/v1/login", `{"eventId":"1001","apiKey":"nope","stationName":"x"}`)
	assert.Equal(t, http.StatusForbidden, status)
}

func TestTokensExpireAndLogOut(t *testing.T) {
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	f := invitariofake.Demo(invitariofake.WithClock(clk.now), invitariofake.WithIdleTimeout(10*time.Minute))
	srv := httptest.NewServer(f)
	defer srv.Close()

	tok := login(t, srv)
	all := `{"sessionToken":"` + tok + `"}`
	clk.add(9 * time.Minute)
	_, body := post(t, srv, "/api/v1/guest/list/all", all)
	require.Equal(t, "success", body["status"])
	clk.add(9 * time.Minute) // idle time counts from the last use
	_, body = post(t, srv, "/api/v1/guest/list/all", all)
	require.Equal(t, "success", body["status"])
	clk.add(10 * time.Minute)
	_, body = post(t, srv, "/api/v1/guest/list/all", all)
	assert.Equal(t, 30.0, errCode(t, body))

	tok = login(t, srv)
	_, body = post(t, srv, "/api/v1/logout", `{"sessionToken":"`+tok+`"}`)
	assert.Equal(t, "success", body["status"])
	_, body = post(t, srv, "/api/v1/guest/list/all", `{"sessionToken":"`+tok+`"}`)
	assert.Equal(t, 30.0, errCode(t, body), "logout invalidates the token")
	_, body = post(t, srv, "/api/v1/logout", `{"sessionToken":"`+tok+`"}`)
	assert.Equal(t, 30.0, errCode(t, body))
	assert.Equal(t, 1, f.Logouts())
	assert.Empty(t, f.Violations())
}

func TestRecentIncludesDeleted(t *testing.T) {
	clk := &clock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	f := invitariofake.Demo(invitariofake.WithClock(clk.now), invitariofake.WithLocation(time.FixedZone("", 3600)))
	srv := httptest.NewServer(f)
	defer srv.Close()
	tok := login(t, srv)
	ev := invitariofake.DemoEventID
	guests := f.Guests(ev)

	clk.add(time.Hour + 300*time.Millisecond)
	require.NoError(t, f.DeleteGuest(ev, guests[0].ID))
	require.NoError(t, f.CheckIn(ev, guests[5].ID))
	since := "2026-05-01T14:00:00+01:00" // 13:00 UTC
	_, body := post(t, srv, "/api/v1/guest/list/recent", `{"sessionToken":"`+tok+`","sinceDateTime":"`+since+`"}`)
	require.Equal(t, "success", body["status"], body)
	assert.Equal(t, "2026-05-01T14:00:00+01:00", body["dateTime"], "server time, to the second, in the server's zone")
	got := body["guests"].([]any)
	require.Len(t, got, 2)
	assert.Equal(t, 2.0, body["count"])
	deleted := got[0].(map[string]any)
	assert.Equal(t, guests[0].ID, deleted["id"])
	assert.NotNil(t, deleted["deleteDateTime"])

	_, body = post(t, srv, "/api/v1/guest/list/all", `{"sessionToken":"`+tok+`"}`)
	assert.Len(t, body["guests"], len(guests)-1, "the full list leaves deleted guests out")
	_, ok := f.Guest(ev, guests[0].ID)
	assert.True(t, ok)
}

func TestCompanions(t *testing.T) {
	f := invitariofake.New()
	f.AddEvent(invitariofake.Event{ID: "7", Name: "E"})
	host, err := f.AddGuest("7", invitario.Guest{})
	require.NoError(t, err)
	comp, err := f.AddGuest("7", invitario.Guest{ParentID: host.ID})
	require.NoError(t, err)
	g, _ := f.Guest("7", host.ID)
	require.Equal(t, []invitario.Companion{{ID: comp.ID}}, g.Companions)

	require.NoError(t, f.DeleteGuest("7", comp.ID))
	g, _ = f.Guest("7", host.ID)
	assert.Empty(t, g.Companions)

	comp2, err := f.AddGuest("7", invitario.Guest{ParentID: host.ID})
	require.NoError(t, err)
	require.NoError(t, f.DeleteGuest("7", host.ID))
	c, _ := f.Guest("7", comp2.ID)
	assert.NotNil(t, c.DeleteDateTime, "companions go with their guest")
	_, err = f.AddGuest("7", invitario.Guest{ParentID: host.ID})
	require.Error(t, err)
	require.Error(t, f.UpdateGuest("7", host.ID, func(*invitario.Guest) {}))
	require.Error(t, f.AddAppConfig("nope", "c", "s"))
}
