package ivvyfake_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake/ivvyfake"
)

func TestUnknownIDsGiveTheDocumentedCodes(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		namespace, action string
		params            map[string]any
		specific          int
	}{
		{"event", "getEvent", map[string]any{"id": 99}, 24097},
		{"event", "getRegistration", map[string]any{"id": 1, "eventId": 99}, 24207},
		{"event", "getRegistration", map[string]any{"id": 0, "eventId": 1}, 24208},
		{"event", "getRegistration", map[string]any{"id": 99, "eventId": 1}, 24209},
		{"event", "getRegistration", map[string]any{"id": 3, "eventId": 1}, 24209}, // belongs to event 2
		{"event", "getRegistrationList", map[string]any{"eventId": 99}, 24206},
		{"event", "getAttendee", map[string]any{"id": 1, "eventId": 99}, 24211},
		{"event", "getAttendee", map[string]any{"id": 0, "eventId": 1}, 24212},
		{"event", "getAttendee", map[string]any{"id": 99, "eventId": 1}, 24213},
		{"event", "getAttendeeList", map[string]any{"eventId": 99}, 24210},
		{"event", "getSponsorshipList", map[string]any{"event": 99}, 24100},
		{"event", "getSponsorshipList", map[string]any{"event": 2}, 24094},
		{"event", "getSpeakerList", map[string]any{"event": 99}, 24101},
		{"event", "getSpeakerList", map[string]any{"event": 3}, 24124},
		{"event", "getSessionList", map[string]any{"eventId": 99}, 24456},
		{"event", "createLoginToken", map[string]any{"event": 99, "contact": 1}, 24098},
		{"event", "createLoginToken", map[string]any{"event": 1, "contact": 999}, 24099},
		{"contact", "getContact", map[string]any{"id": 999}, 24096},
	}
	for _, tc := range cases {
		t.Run(tc.action, func(t *testing.T) {
			r := e.call(tc.namespace, tc.action, tc.params)
			requireException(t, r, http.StatusBadRequest, 400, tc.specific)
		})
	}
}

func TestGetEvent(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "getEvent", map[string]any{"id": 1})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, "Product Launch 2026", r.JSON["title"])
	assert.Equal(t, "LAUNCH26", r.JSON["code"])
	assert.EqualValues(t, 3, r.JSON["currentStatus"])
	assert.EqualValues(t, 2, r.JSON["numRegistered"])
	assert.Equal(t, "2026-03-10 22:00:00 UTC", r.JSON["startDateTime"])
	assert.Equal(t, e.srv.URL+"/event/LAUNCH26/", r.JSON["websiteUrl"])
	assert.Equal(t, true, r.JSON["includeSponsors"])
	assert.Equal(t, true, r.JSON["useMultipleSessions"])

	r = e.call("event", "getEvent", map[string]any{"id": 3})
	assert.Equal(t, false, r.JSON["includeSpeakers"])
	requireException(t, e.call("event", "getEvent", map[string]any{}), http.StatusBadRequest, 400, 23017)
}

func TestAddOrUpdateEvent(t *testing.T) {
	e := newEnv(t)
	add := map[string]any{
		"eventType": 12, "title": "A New Event", "timezone": "Australia/Sydney",
		"startDateTime": "2026-12-01 03:00:00 UTC", "endDateTime": "2026-12-01 06:00:00",
		"capacity": 10, "budget": 150, "costCenterId": 834, "primaryContactUserId": 7821,
	}
	r := e.call("event", "addOrUpdateEvent", add)
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, true, r.JSON["success"])
	assert.EqualValues(t, 4, r.JSON["id"])
	code, _ := r.JSON["code"].(string)
	assert.NotEmpty(t, code)

	e.clock.Add(time.Hour)
	r = e.call("event", "addOrUpdateEvent", map[string]any{"id": 4, "title": "Renamed"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, code, r.JSON["code"])

	r = e.call("event", "getEvent", map[string]any{"id": 4})
	assert.Equal(t, "Renamed", r.JSON["title"])
	assert.Equal(t, "2026-12-01 06:00:00 UTC", r.JSON["endDateTime"])
	assert.Equal(t, "2026-11-25 13:00:00 UTC", r.JSON["modifiedDate"])

	r = e.call("event", "getEventList", map[string]any{"filter": map[string]any{"modifiedDate__GREATERTHAN": "2026-11-25 12:30:00"}})
	assert.Equal(t, []int64{4}, ids(t, results(t, r), "id"))

	for name, params := range map[string]map[string]any{
		"missing title":     {"eventType": 12, "timezone": "UTC", "startDateTime": "2026-12-01 03:00:00", "endDateTime": "2026-12-01 06:00:00"},
		"wrong event type":  {"eventType": 5, "title": "x", "timezone": "UTC", "startDateTime": "2026-12-01 03:00:00", "endDateTime": "2026-12-01 06:00:00"},
		"ends before start": {"eventType": 12, "title": "x", "timezone": "UTC", "startDateTime": "2026-12-01 03:00:00", "endDateTime": "2026-12-01 02:00:00"},
		"unknown timezone":  {"eventType": 12, "title": "x", "timezone": "Mars/Olympus", "startDateTime": "2026-12-01 03:00:00", "endDateTime": "2026-12-01 06:00:00"},
		"code change":       {"id": 1, "code": "OTHER"},
	} {
		r := e.call("event", "addOrUpdateEvent", params)
		assert.Equal(t, http.StatusBadRequest, r.Status, "%s: %s", name, r.Body)
	}
	_, ok := e.fake.Event(5)
	assert.False(t, ok, "no event was added by the refused calls")

	r = e.call("event", "addOrUpdateEvent", map[string]any{"id": 77, "title": "Ghost"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, false, r.JSON["success"])
}

func TestRegistrationsAndAttendees(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "getRegistrationList", map[string]any{"eventId": 1})
	rs := results(t, r)
	assert.Equal(t, []int64{1, 2}, ids(t, rs, "id"))
	assert.Equal(t, "Product Launch 2026", rs[0]["eventName"])
	assert.Equal(t, "Alice", rs[0]["firstName"])
	assert.EqualValues(t, 4, rs[1]["currentStatus"])

	r = e.call("event", "getRegistrationList", map[string]any{"eventId": 1, "filter": map[string]any{"currentStatus": 2}})
	assert.Equal(t, []int64{1}, ids(t, results(t, r), "id"))

	r = e.call("event", "getRegistration", map[string]any{"id": 2, "eventId": 1})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.EqualValues(t, 5, r.JSON["mainContactId"])

	r = e.call("event", "getAttendeeList", map[string]any{"eventId": 1, "perPage": 2})
	rs = results(t, r)
	assert.Equal(t, []int64{1, 2}, ids(t, rs, "id"))
	assert.EqualValues(t, 3, meta(t, r)["totalResults"])
	assert.Equal(t, "grace@example.com", rs[1]["email"])

	r = e.call("event", "getAttendee", map[string]any{"id": 1, "eventId": 1})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.EqualValues(t, 1, r.JSON["registrationId"])
	sessions, _ := r.JSON["sessions"].([]any)
	require.Len(t, sessions, 2)
	assert.Equal(t, "Keynote", sessions[0].(map[string]any)["sessionName"])
}

func TestSponsorsSpeakersSessions(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "getSponsorshipList", map[string]any{"event": 1})
	rs := results(t, r)
	require.Len(t, rs, 2)
	assert.Equal(t, "1", rs[0]["id"], "sponsor numbers are strings")
	assert.Equal(t, "9", rs[0]["level"])
	assert.Equal(t, "5000", rs[0]["sponsorshipAmount"])
	assert.Equal(t, "2500", rs[0]["sponsorshipAmountPaid"])

	r = e.call("event", "getSpeakerList", map[string]any{"event": 1})
	rs = results(t, r)
	require.Len(t, rs, 2)
	assert.Equal(t, "1", rs[0]["id"])
	assert.Equal(t, "Priya Raman", rs[0]["fullName"])

	r = e.call("event", "getSessionList", map[string]any{"eventId": 1})
	rs = results(t, r)
	require.Len(t, rs, 2)
	assert.Equal(t, "Keynote", rs[0]["name"])
	assert.Equal(t, []any{1.0}, rs[0]["speakers"])
	assert.Equal(t, "2026-03-10 22:00:00 UTC", rs[0]["startDate"])

	r = e.call("event", "getSessionList", map[string]any{"eventId": 3})
	assert.Empty(t, results(t, r))
}

func TestCreateLoginToken(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "createLoginToken", map[string]any{"event": 1, "contact": 2, "referrer": "https://example.com"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	token, _ := r.JSON["token"].(string)
	assert.Len(t, token, 32)
	assert.True(t, strings.HasPrefix(r.JSON["loginUrl"].(string), e.srv.URL+"/event/LAUNCH26/"), r.JSON["loginUrl"])
	assert.Contains(t, r.JSON["loginUrl"], "t="+token)

	again := e.call("event", "createLoginToken", map[string]any{"event": 1, "contact": 2})
	assert.NotEqual(t, token, again.JSON["token"], "tokens are single-use")
}

func TestSeedingAndInspection(t *testing.T) {
	clk := newClock()
	s := ivvyfake.New(ivvyfake.WithClock(clk.Now), ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret))
	ev := s.AddEvent(ivvyfake.Event{Title: "Seeded", StartDateTime: start, EndDateTime: start.Add(time.Hour)})
	assert.EqualValues(t, 1, ev)
	assert.EqualValues(t, 10, s.AddEvent(ivvyfake.Event{ID: 10, Title: "Chosen id"}))
	assert.EqualValues(t, 11, s.AddEvent(ivvyfake.Event{Title: "After the chosen id"}))
	c1 := s.AddContact(ivvyfake.Contact{FirstName: "Ann", Email: "ann@example.com"})
	require.NoError(t, s.AddInvitation(ivvyfake.Invitation{EventID: ev, ContactID: c1, Response: ivvyfake.ResponseNo}))
	require.Error(t, s.AddInvitation(ivvyfake.Invitation{EventID: 99, ContactID: c1}))
	require.Error(t, s.AddInvitation(ivvyfake.Invitation{EventID: ev, ContactID: 99}))
	require.Error(t, s.AddInvitation(ivvyfake.Invitation{EventID: ev, ContactID: c1, Response: "X"}))

	invs := s.Invitations(ev)
	require.Len(t, invs, 1)
	assert.Equal(t, "N", invs[0].Response)
	got, ok := s.Event(ev)
	require.True(t, ok)
	assert.Equal(t, "Seeded", got.Title)
	assert.NotEmpty(t, got.Code)
	assert.Equal(t, []int64{1}, s.ContactIDs())

	e := serve(t, clk, s)
	r := e.call("event", "getInvitedContactList", map[string]any{"eventId": ev})
	assert.Equal(t, []int64{c1}, ids(t, results(t, r), "contactId"))
}
