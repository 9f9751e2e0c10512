package ivvy

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNotificationResultDecodesAndNamesCodes(t *testing.T) {
	var got NotificationUnsubscribeResults
	body := `{"eventsResult": 2, "venuesResult": 6, "paymentsResult": 3, "crmResult": 4, "contactsResult": "5", "companiesResult": 1, "ariResult": 9}`
	require.NoError(t, json.Unmarshal([]byte(body), &got))

	assert.Equal(t, NotificationResultSuccess, got.CompaniesResult)
	assert.True(t, got.CompaniesResult.OK())
	assert.False(t, got.EventsResult.OK())
	assert.Equal(t, "Not Requested", got.EventsResult.String())
	assert.Equal(t, "Status Not Confirmed", got.VenuesResult.String())
	assert.Equal(t, "Unknown Error", got.PaymentsResult.String())
	assert.Equal(t, "Not Found", got.CrmResult.String())
	assert.Equal(t, "Incorrect Source", got.ContactsResult.String())
	assert.Equal(t, NotificationResult(9), got.AriResult, "an undocumented code is kept as sent")
	assert.False(t, got.AriResult.Known())
	assert.Equal(t, "NotificationResult(9)", got.AriResult.String())
	for c := NotificationResult(1); c <= 6; c++ {
		assert.True(t, c.Known(), "code %d", c)
	}
	assert.False(t, NotificationResult(0).Known())

	err := json.Unmarshal([]byte(`{"eventsResult": true}`), &got)
	require.Error(t, err, "a code that is not a number is refused")
	assert.Contains(t, err.Error(), "NotificationResult")
}
