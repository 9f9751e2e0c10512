package invitario

import (
	"os"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSpecIsValid(t *testing.T) {
	raw, err := os.ReadFile("../../specs/invitario.yaml")
	require.NoError(t, err)
	doc, err := openapi3.NewLoader().LoadFromData(raw)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(t.Context()))
	for _, op := range Operations() {
		assert.Equal(t, op.RetrySafe, doc.Paths.Find(op.Path).Operations()[op.Method].Extensions["x-retry-safe"], op.ID)
	}

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
