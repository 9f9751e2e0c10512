package alida_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/alida"
)

func TestParseGUID(t *testing.T) {
	g, err := alida.ParseGUID("3F2C5F0E-9A7B-4C1D-8E2F-0A1B2C3D4E5F")
	require.NoError(t, err)
	assert.Equal(t, "3f2c5f0e-9a7b-4c1d-8e2f-0a1b2c3d4e5f", g.String())

	for _, bad := range []string{"", "3f2c5f0e", "not-a-guid-at-all-but-thirty-six-ch", "3f2c5f0e-9a7b-4c1d-8e2f-0a1b2c3d4e5g"} {
		_, err := alida.ParseGUID(bad)
		assert.ErrorContains(t, err, "is not a GUID", bad)
	}
}
