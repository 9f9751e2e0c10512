package ivvyfake_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetContact(t *testing.T) {
	e := newEnv(t)
	r := e.call("contact", "getContact", map[string]any{"id": 1})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, "alice@example.com", r.JSON["email"])
	assert.Equal(t, "CRM-0001", r.JSON["externalId"])
	assert.EqualValues(t, 1, r.JSON["status"])

	invs, _ := r.JSON["eventInvitations"].([]any)
	require.Len(t, invs, 2)
	first := invs[0].(map[string]any)
	assert.EqualValues(t, 1, first["eventId"])
	assert.Equal(t, "LAUNCH26", first["eventCode"])
	assert.Equal(t, "Y", first["response"])
	assert.Equal(t, "U", invs[1].(map[string]any)["response"])
	assert.Contains(t, first["inviteLinkYes"], e.srv.URL)

	regs, _ := r.JSON["eventRegistrations"].([]any)
	require.Len(t, regs, 1)
	reg := regs[0].(map[string]any)
	assert.EqualValues(t, 1, reg["registrationId"])
	assert.EqualValues(t, 2, reg["attendeeCount"])

	r = e.call("contact", "getContact", map[string]any{"id": 2})
	assert.Nil(t, r.JSON["externalId"])
	assert.Empty(t, r.JSON["eventRegistrations"])
}

func TestAddOrUpdateContact(t *testing.T) {
	e := newEnv(t)
	e.clock.Add(time.Hour) // 13:00

	r := e.call("contact", "addOrUpdateContact", map[string]any{
		"firstName": "Bobby", "lastName": "Smith", "email": "bobbysmith@example.com",
		"groups": []map[string]any{{"groupId": 10}}, "customFields": []map[string]any{{"fieldId": 33443, "value": "No"}},
		"companies": []int{4, 5}, "status": 2, "smsStatus": 2, "externalId": "12345",
		"externalUrls":   []map[string]any{{"ref": "example1", "label": "Example One", "url": "https://example1.com"}},
		"privacyConsent": true,
	})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, true, r.JSON["success"])
	assert.EqualValues(t, 26, r.JSON["id"])

	got := e.call("contact", "getContact", map[string]any{"id": 26})
	assert.Equal(t, "Smith", got.JSON["lastName"])
	assert.Equal(t, "12345", got.JSON["externalId"])
	assert.Equal(t, []any{4.0, 5.0}, got.JSON["companies"])
	assert.Equal(t, "Acme Pty Ltd", got.JSON["companiesData"].([]any)[0].(map[string]any)["businessName"])
	assert.Equal(t, "2026-11-25 13:00:00 UTC", got.JSON["modifiedDate"])

	// Update by id: only the fields sent change; modifiedDate moves.
	e.clock.Add(time.Hour) // 14:00
	r = e.call("contact", "addOrUpdateContact", map[string]any{"id": 2, "phone": "0455 550 000", "groups": []map[string]any{{"groupId": 11}}})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.EqualValues(t, 2, r.JSON["id"])
	got = e.call("contact", "getContact", map[string]any{"id": 2})
	assert.Equal(t, "Bob", got.JSON["firstName"])
	assert.Equal(t, "0455 550 000", got.JSON["phone"])
	assert.Equal(t, []any{map[string]any{"contactId": 2.0, "groupId": 11.0, "joinDate": "2026-01-05 09:01:00 UTC"}}, got.JSON["groups"])

	// updateIfExists matches first name, last name and email.
	r = e.call("contact", "addOrUpdateContact", map[string]any{"firstName": "carol", "lastName": "Chen", "email": "carol@example.com", "phone": "1", "updateIfExists": true})
	assert.EqualValues(t, 3, r.JSON["id"])
	r = e.call("contact", "addOrUpdateContact", map[string]any{"firstName": "Carol", "lastName": "Other", "email": "carol@example.com", "updateIfExists": true})
	assert.EqualValues(t, 27, r.JSON["id"], "no match: added")
	r = e.call("contact", "addOrUpdateContact", map[string]any{"firstName": "Carol", "lastName": "Chen", "email": "carol@example.com"})
	assert.EqualValues(t, 28, r.JSON["id"], "without updateIfExists a duplicate is added")

	// The contact list sees what changed since 13:30.
	r = e.call("contact", "getContactList", map[string]any{"filter": map[string]any{"fromModifiedDate": "2026-11-25 13:30:00"}})
	assert.Equal(t, []int64{2, 3, 27, 28}, ids(t, results(t, r), "id"))
	r = e.call("contact", "getContactList", map[string]any{"filter": map[string]any{"externalId": "12345"}})
	assert.Equal(t, []int64{26}, ids(t, results(t, r), "id"))

	// externalUrls: null removes all.
	r = e.call("contact", "addOrUpdateContact", []byte(`{"id":26,"externalUrls":null}`))
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	got = e.call("contact", "getContact", map[string]any{"id": 26})
	assert.Empty(t, got.JSON["externalUrls"])
}

func TestAddOrUpdateContactFailures(t *testing.T) {
	e := newEnv(t)
	r := e.call("contact", "addOrUpdateContact", map[string]any{"firstName": "No", "lastName": "Email"})
	requireException(t, r, http.StatusBadRequest, 400, 23017)
	assert.Contains(t, r.JSON["message"], "email")

	r = e.call("contact", "addOrUpdateContact", map[string]any{"email": "not an address"})
	requireException(t, r, http.StatusBadRequest, 400, 23016)

	r = e.call("contact", "addOrUpdateContact", map[string]any{"id": 999, "firstName": "Ghost"})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	assert.Equal(t, false, r.JSON["success"])
	assert.NotEmpty(t, r.JSON["message"])

	r = e.call("contact", "getContactList", map[string]any{})
	assert.EqualValues(t, 25, meta(t, r)["totalResults"], "nothing was added")
}
