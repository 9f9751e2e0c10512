package ivvy

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotificationResultDecodesAndNamesCodes(t *testing.T) {
	var got NotificationUnsubscribeResults
	body := `{"eventsResult": 2, "venuesResult": 6, "paymentsResult": 3, "crmResult": 4, "contactsResult": 5, "companiesResult": 1, "ariResult": 9}`
	require.NoError(t, json.Unmarshal([]byte(body), &got))

	assert.Equal(t, NotificationResultSuccess, got.CompaniesResult)
	assert.True(t, got.CompaniesResult.OK())
	assert.False(t, got.EventsResult.OK())
	assert.Equal(t, "not requested", got.EventsResult.String())
	assert.Equal(t, "status not confirmed", got.VenuesResult.String())
	assert.Equal(t, "unknown error", got.PaymentsResult.String())
	assert.Equal(t, "not found", got.CrmResult.String())
	assert.Equal(t, "incorrect source", got.ContactsResult.String())
	assert.Equal(t, NotificationResult(9), got.AriResult, "an undocumented code is kept as sent")
	assert.False(t, got.AriResult.Known())
	assert.Equal(t, "result 9", got.AriResult.String())
	for c := NotificationResult(1); c <= 6; c++ {
		assert.True(t, c.Known(), "code %d", c)
	}
}
