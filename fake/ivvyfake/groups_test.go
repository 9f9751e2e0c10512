package ivvyfake_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type groupResult struct {
	ContactID int64 `json:"contactId"`
	Status    bool  `json:"status"`
}

func groupResults(t *testing.T, r response) []groupResult {
	t.Helper()
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var out []groupResult
	require.NoError(t, json.Unmarshal(r.Body, &out))
	return out
}

// memberCounts reads getSubscriptionGroupList as group id to member count.
func memberCounts(t *testing.T, e *env) map[int64]int64 {
	t.Helper()
	r := e.call("contact", "getSubscriptionGroupList", map[string]any{})
	require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
	var groups []struct {
		ID          int64  `json:"id"`
		GroupName   string `json:"groupName"`
		MemberCount int64  `json:"memberCount"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &groups))
	out := map[int64]int64{}
	for _, g := range groups {
		require.NotEmpty(t, g.GroupName)
		out[g.ID] = g.MemberCount
	}
	return out
}

func TestSubscriptionGroupsAddAndRemoveContacts(t *testing.T) {
	e := newEnv(t)
	assert.Equal(t, map[int64]int64{10: 25, 11: 0}, memberCounts(t, e), "the demo's groups")

	add := map[string]any{"group": 11, "contacts": []int64{2, 4, 99999}}
	assert.Equal(t, []groupResult{{2, true}, {4, true}, {99999, false}},
		groupResults(t, e.call("contact", "addContactsToSubscriptionGroup", add)), "an unknown contact is not added")
	assert.Equal(t, []int64{2, 4}, e.fake.SubscriptionGroupMembers(11))
	assert.Equal(t, int64(2), memberCounts(t, e)[11])

	// Adding a member again changes nothing.
	assert.Equal(t, []groupResult{{2, true}, {4, true}, {99999, false}},
		groupResults(t, e.call("contact", "addContactsToSubscriptionGroup", add)))
	assert.Equal(t, []int64{2, 4}, e.fake.SubscriptionGroupMembers(11))
	assert.Equal(t, int64(2), memberCounts(t, e)[11])

	// The contact shows its groups.
	r := e.call("contact", "getContact", map[string]any{"id": 2})
	require.Equal(t, http.StatusOK, r.Status)
	var groupIDs []float64
	for _, g := range r.JSON["groups"].([]any) {
		groupIDs = append(groupIDs, g.(map[string]any)["groupId"].(float64))
	}
	assert.Equal(t, []float64{10, 11}, groupIDs)

	// Removing a contact that is not a member is no error.
	remove := map[string]any{"group": 11, "contacts": []int64{4, 5}}
	assert.Equal(t, []groupResult{{4, true}, {5, true}},
		groupResults(t, e.call("contact", "removeContactsFromSubscriptionGroup", remove)))
	assert.Equal(t, []int64{2}, e.fake.SubscriptionGroupMembers(11))
	assert.Equal(t, []groupResult{{4, true}, {5, true}},
		groupResults(t, e.call("contact", "removeContactsFromSubscriptionGroup", remove)), "removing twice")
	assert.Equal(t, map[int64]int64{10: 25, 11: 1}, memberCounts(t, e))
}

func TestSubscriptionGroupCallsCheckTheirParameters(t *testing.T) {
	e := newEnv(t)
	r := e.call("contact", "addContactsToSubscriptionGroup", map[string]any{"group": 77, "contacts": []int64{1}})
	requireException(t, r, http.StatusBadRequest, 400, 23016)
	assert.Contains(t, r.JSON["message"], "group")

	r = e.call("contact", "removeContactsFromSubscriptionGroup", map[string]any{"group": 10})
	requireException(t, r, http.StatusBadRequest, 400, 23017)
	assert.Contains(t, r.JSON["message"], "contacts")

	// Refused calls that would change a group if they were let through.
	require.Empty(t, e.fake.SubscriptionGroupMembers(11))
	r = e.call("contact", "addContactsToSubscriptionGroup", map[string]any{"group": 11, "contacts": "1,2"})
	requireException(t, r, http.StatusBadRequest, 400, 23016)
	assert.Empty(t, e.fake.SubscriptionGroupMembers(11), "nothing added")
	r = e.call("contact", "removeContactsFromSubscriptionGroup", map[string]any{"group": 10, "contacts": "1,2"})
	requireException(t, r, http.StatusBadRequest, 400, 23016)
	assert.Len(t, e.fake.SubscriptionGroupMembers(10), 25, "nothing removed")

	// The same calls, valid, do change the groups.
	r = e.call("contact", "addContactsToSubscriptionGroup", map[string]any{"group": 11, "contacts": []int64{1, 2}})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	assert.Equal(t, []int64{1, 2}, e.fake.SubscriptionGroupMembers(11))
	r = e.call("contact", "removeContactsFromSubscriptionGroup", map[string]any{"group": 10, "contacts": []int64{1, 2}})
	require.Equal(t, http.StatusOK, r.Status, "%s", r.Body)
	assert.Len(t, e.fake.SubscriptionGroupMembers(10), 23)
}
