package invitario

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestEmbeddedSpecIsValid(t *testing.T) {
	doc, err := GetSpec()
	require.NoError(t, err)
	require.NoError(t, doc.Validate(t.Context()))

	want := map[string]bool{"login": true, "guestListAll": true, "guestListRecent": true, "logout": false}
	got := map[string]bool{}
	for path, item := range doc.Paths.Map() {
		for method, op := range item.Operations() {
			assert.Equal(t, "POST", method, path)
			safe, ok := op.Extensions["x-retry-safe"].(bool)
			require.True(t, ok, "%s has no boolean x-retry-safe", op.OperationID)
			got[op.OperationID] = safe
		}
	}
	assert.Equal(t, want, got)
	require.Len(t, doc.Servers, 1)
	assert.Contains(t, doc.Servers[0].Variables, "host")
}
