package ivvy_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// externalUrls can be left out, set, or sent as null to clear the links.
func TestNullableExternalURLs(t *testing.T) {
	enc := func(r ivvy.AddOrUpdateContactRequest) string {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		return string(b)
	}
	id := int64(7)
	assert.JSONEq(t, `{"id":7}`, enc(ivvy.AddOrUpdateContactRequest{ID: &id}))
	assert.JSONEq(t, `{"id":7,"externalUrls":null}`, enc(ivvy.AddOrUpdateContactRequest{ID: &id, ExternalURLs: ivvy.Null[[]ivvy.ExternalURL]()}))
	assert.JSONEq(t, `{"id":7,"externalUrls":[]}`, enc(ivvy.AddOrUpdateContactRequest{ID: &id, ExternalURLs: ivvy.Value([]ivvy.ExternalURL{})}))

	var back ivvy.AddOrUpdateContactRequest
	require.NoError(t, json.Unmarshal([]byte(`{"externalUrls":null}`), &back))
	assert.True(t, back.ExternalURLs.IsNull())
	require.NoError(t, json.Unmarshal([]byte(`{"externalUrls":[{"url":"https://example.com","name":"site"}]}`), &back))
	v, ok := back.ExternalURLs.Get()
	require.True(t, ok)
	assert.Len(t, v, 1)
}
