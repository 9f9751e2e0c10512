package signing

import (
	"context"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

func TestBasicSetsHeader(t *testing.T) {
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, "http://127.0.0.1/x", nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer old")
	require.NoError(t, Basic("user", redact.Secret("Password1"))(t.Context(), req))

	assert.Equal(t, "Basic dXNlcjpQYXNzd29yZDE=", req.Header.Get("Authorization"))
	user, pass, ok := req.BasicAuth()
	require.True(t, ok)
	assert.Equal(t, "user", user)
	assert.Equal(t, "Password1", pass)
}

func TestBasicUTF8AndColonInPassword(t *testing.T) {
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1/x", nil)
	require.NoError(t, err)
	require.NoError(t, Basic("zoë", redact.Secret("a:b"))(t.Context(), req))
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(req.Header.Get("Authorization"), "Basic "))
	require.NoError(t, err)
	assert.Equal(t, "zoë:a:b", string(raw))
}

func TestBasicRejectsBadUsername(t *testing.T) {
	for _, name := range []string{"", "a:b"} {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, "http://127.0.0.1/x", nil)
		require.NoError(t, err)
		err = Basic(name, redact.Secret("s3cret-value"))(t.Context(), req)
		require.ErrorIs(t, err, ErrBasicUsername)
		assert.NotContains(t, err.Error(), "s3cret-value")
		assert.Empty(t, req.Header.Get("Authorization"))
	}
}

func TestBasicTakesARequestWithoutHeaders(t *testing.T) {
	req := &http.Request{Method: http.MethodGet}
	require.NoError(t, Basic("user", redact.Secret("pw"))(context.Background(), req))
	user, pw, ok := req.BasicAuth()
	require.True(t, ok)
	require.Equal(t, "user", user)
	require.Equal(t, "pw", pw)
}
