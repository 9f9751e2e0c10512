package ivvyfake_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake/ivvyfake"
)

func TestContactListPages(t *testing.T) {
	e := newEnv(t)
	var got []int64
	for _, want := range []struct{ start, count int }{{0, 10}, {10, 10}, {20, 5}, {30, 0}} {
		r := e.call("contact", "getContactList", map[string]any{"perPage": 10, "start": want.start})
		rs := results(t, r)
		assert.Equal(t, map[string]any{"totalResults": 25.0, "start": float64(want.start), "perPage": 10.0, "count": float64(want.count)}, meta(t, r))
		got = append(got, ids(t, rs, "id")...)
	}
	want := make([]int64, 25)
	for i := range want {
		want[i] = int64(i + 1)
	}
	assert.Equal(t, want, got)
}

func TestPerPageDefaultsAndCap(t *testing.T) {
	e := newEnv(t, ivvyfake.WithPerPageCap(7))
	r := e.call("contact", "getContactList", map[string]any{})
	assert.Len(t, results(t, r), 7)
	assert.EqualValues(t, 7, meta(t, r)["perPage"])

	r = e.call("contact", "getContactList", map[string]any{"perPage": 50})
	assert.Len(t, results(t, r), 7, "perPage above the cap gives the cap")
	assert.EqualValues(t, 25, meta(t, r)["totalResults"])

	r = e.call("contact", "getContactList", map[string]any{"perPage": 3, "start": 23})
	assert.Equal(t, []int64{24, 25}, ids(t, results(t, r), "id"))

	d := newEnv(t)
	r = d.call("contact", "getContactList", map[string]any{})
	assert.Len(t, results(t, r), 25)
	assert.EqualValues(t, ivvyfake.DefaultPerPageCap, meta(t, r)["perPage"])
}

func TestPagingParametersAreValidated(t *testing.T) {
	e := newEnv(t)
	for _, params := range []map[string]any{
		{"perPage": 0},
		{"perPage": -5},
		{"start": -1},
		{"perPage": "ten"},
	} {
		r := e.call("contact", "getContactList", params)
		requireException(t, r, http.StatusBadRequest, 400, 23016)
	}
}

func TestGenericFilters(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		filter map[string]any
		want   []int64
	}{
		{"equality ignores case", map[string]any{"firstName": "bob"}, []int64{2}},
		{"begins", map[string]any{"firstName__BEGINS": "O"}, []int64{13, 25}},
		{"ends", map[string]any{"lastName__ENDS": "SON"}, []int64{1}},
		{"contains", map[string]any{"email__CONTAINS": "ALI"}, []int64{1}},
		{"not contains", map[string]any{"email__NOTCONTAINS": "li", "id__LESSTHAN": 5}, []int64{2, 3, 4, 5}},
		{"not", map[string]any{"id__NOT": 1, "id__LESSTHAN": 3}, []int64{2, 3}},
		{"less than is inclusive", map[string]any{"id__LESSTHAN": 3}, []int64{1, 2, 3}},
		{"greater than is inclusive", map[string]any{"id__GREATERTHAN": "24"}, []int64{24, 25}},
		{"timestamps compare as times", map[string]any{"modifiedDate__LESSTHAN": "2026-01-07 09:00:00"}, []int64{1, 2, 3}},
		{"is null", map[string]any{"externalId": "__ISNULL__", "id__LESSTHAN": 3}, []int64{2, 3}},
		{"old null token", map[string]any{"externalId": "ISNULL", "id__LESSTHAN": 3}, []int64{2, 3}},
		{"not null", map[string]any{"externalId__NOT": "__ISNULL__"}, []int64{1, 6, 11, 16, 21}},
		{"empty", map[string]any{"externalId__EMPTY": false}, []int64{1, 6, 11, 16, 21}},
		{"array field", map[string]any{"companies": 6}, []int64{3, 6, 9, 12, 15, 18, 21, 24}},
		{"array value", map[string]any{"id": []int{4, 2, 99}}, []int64{2, 4}},
		{"no match", map[string]any{"firstName": "Nobody"}, []int64{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call("contact", "getContactList", map[string]any{"filter": tc.filter})
			got := ids(t, results(t, r), "id")
			assert.Equal(t, tc.want, got)
			assert.EqualValues(t, len(tc.want), meta(t, r)["totalResults"])
		})
	}
}

func TestFilterWithUnknownModifier(t *testing.T) {
	e := newEnv(t)
	r := e.call("contact", "getContactList", map[string]any{"filter": map[string]any{"firstName__SOUNDSLIKE": "Bob"}})
	requireException(t, r, http.StatusBadRequest, 400, 23016)
}

func TestContactListFilters(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		filter map[string]any
		want   []int64
	}{
		{"modified window", map[string]any{"fromModifiedDate": "2026-01-06 09:00:00", "toModifiedDate": "2026-01-08 09:00:00 UTC"}, []int64{2, 3, 4}},
		{"external id", map[string]any{"externalId": "CRM-0006"}, []int64{6}},
		{"company", map[string]any{"companyId": 4, "id__LESSTHAN": 6}, []int64{1, 4}},
		{"venue filters are accepted", map[string]any{"venueId": 3, "id__LESSTHAN": 1}, []int64{1}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call("contact", "getContactList", map[string]any{"filter": tc.filter})
			assert.Equal(t, tc.want, ids(t, results(t, r), "id"))
		})
	}
	r := e.call("contact", "getContactList", map[string]any{"filter": map[string]any{"fromModifiedDate": "yesterday"}})
	requireException(t, r, http.StatusBadRequest, 400, 23016)
}

func TestEventListFilters(t *testing.T) {
	e := newEnv(t)
	cases := []struct {
		name   string
		params map[string]any
		want   []int64
	}{
		{"all", map[string]any{}, []int64{1, 2, 3}},
		{"after", map[string]any{"filter": map[string]any{"afterDate": "2026-04-01 00:00:00"}}, []int64{2, 3}},
		{"before", map[string]any{"filter": map[string]any{"beforeDate": "2026-06-01 00:00:00 UTC"}}, []int64{1, 2}},
		{"window", map[string]any{"filter": map[string]any{"afterDate": "2026-04-01 00:00:00", "beforeDate": "2026-06-01 00:00:00"}}, []int64{2}},
		{"status", map[string]any{"filter": map[string]any{"status": []int{0}}}, []int64{3}},
		{"generic", map[string]any{"filter": map[string]any{"title__CONTAINS": "2026"}}, []int64{1, 2}},
		{"ordered", map[string]any{"orderBy": "startDate", "orderDir": "desc"}, []int64{3, 2, 1}},
		{"paged", map[string]any{"perPage": 2, "start": 1}, []int64{2, 3}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.call("event", "getEventList", tc.params)
			assert.Equal(t, tc.want, ids(t, results(t, r), "id"))
		})
	}
	r := e.call("event", "getEventList", map[string]any{"perPage": 1, "includeVenueDetails": true, "includeTicketDetails": true,
		"includeInformationDetails": true, "includeHomepageContent": true})
	rs := results(t, r)
	require.Len(t, rs, 1)
	for _, key := range []string{"venue", "tickets", "information", "homepageContent"} {
		assert.Contains(t, rs[0], key)
	}
	r = e.call("event", "getEventList", map[string]any{"perPage": 1})
	assert.NotContains(t, results(t, r)[0], "venue")

	r = e.call("event", "getEventList", map[string]any{"filter": map[string]any{"status": 3}})
	requireException(t, r, http.StatusBadRequest, 400, 23016)
}

func TestInvitedContactList(t *testing.T) {
	e := newEnv(t)
	r := e.call("event", "getInvitedContactList", map[string]any{"eventId": 1, "perPage": 2})
	rs := results(t, r)
	assert.Equal(t, map[string]any{"totalResults": 5.0, "start": 0.0, "perPage": 2.0, "count": 2.0}, meta(t, r))
	require.Len(t, rs, 2)
	assert.Equal(t, map[string]any{
		"eventId": 1.0, "contactId": 1.0, "firstName": "Alice", "lastName": "Anderson", "email": "alice@example.com",
		"phone": "+61 400 000 001", "response": "Y", "registrationId": 1.0, "modifiedDate": "2026-02-01 01:00:00 UTC",
	}, rs[0])
	assert.Nil(t, rs[1]["registrationId"])
	assert.Equal(t, "N", rs[1]["response"])

	r = e.call("event", "getInvitedContactList", map[string]any{"eventId": 1, "filter": map[string]any{"response": "U"}})
	assert.Equal(t, []int64{3, 6}, ids(t, results(t, r), "contactId"))

	require.NoError(t, e.fake.Respond(1, 3, ivvyfake.ResponseYes))
	r = e.call("event", "getInvitedContactList", map[string]any{"eventId": 1, "filter": map[string]any{"response": "U"}})
	assert.Equal(t, []int64{6}, ids(t, results(t, r), "contactId"))
	require.Error(t, e.fake.Respond(1, 4, ivvyfake.ResponseYes), "contact 4 is not invited to event 1")
	require.Error(t, e.fake.Respond(1, 3, "maybe"))
}

func TestRegistrationListKeepsItsDocumentedCap(t *testing.T) {
	e := newEnv(t, ivvyfake.WithPerPageCap(500))
	for range 120 {
		reg := e.fake.AddRegistration(ivvyfake.Registration{EventID: 3, MainContactID: 9})
		e.fake.AddAttendee(ivvyfake.Attendee{EventID: 3, RegistrationID: reg, ContactID: 9})
	}
	r := e.call("event", "getRegistrationList", map[string]any{"eventId": 3})
	assert.Len(t, results(t, r), 100)
	assert.EqualValues(t, 120, meta(t, r)["totalResults"])
	requireException(t, e.call("event", "getRegistrationList", map[string]any{"eventId": 3, "perPage": 101}), http.StatusBadRequest, 400, 23016)
	// getAttendeeList documents no cap: the server's applies.
	r = e.call("event", "getAttendeeList", map[string]any{"eventId": 3, "perPage": 101})
	assert.Len(t, results(t, r), 101)
	assert.EqualValues(t, 120, meta(t, r)["totalResults"])
	r = e.call("event", "getInvitedContactList", map[string]any{"eventId": 1, "perPage": 300})
	assert.EqualValues(t, 300, meta(t, r)["perPage"], "other lists follow the server's cap")
}
