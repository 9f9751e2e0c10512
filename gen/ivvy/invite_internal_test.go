package ivvy

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// keepingTransport keeps the requests it is given and answers each with
// an empty inviteContacts result.
type keepingTransport struct{ reqs []*http.Request }

func (t *keepingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	t.reqs = append(t.reqs, req)
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Request: req,
		Body: io.NopCloser(strings.NewReader(`{"results":[{"contact":7,"status":true}]}`))}, nil
}

// InviteContacts sends its operation's JSON body to its path, with the
// client's editors applied before signing.
func TestInviteContactsRequest(t *testing.T) {
	rt := &keepingTransport{}
	editor := func(_ context.Context, r *http.Request) error { r.Header.Set("IVVY-Client", "a"); return nil }
	api, err := New("k", "s", WithBaseURL("https://api.example.test:8443"), WithTransport(rt), WithEditor(editor))
	require.NoError(t, err)
	_, err = api.InviteContacts(t.Context(), 4, []int64{7})
	require.NoError(t, err)

	require.Len(t, rt.reqs, 1)
	got := rt.reqs[0]
	assert.Equal(t, http.MethodPost, got.Method)
	assert.Equal(t, "https://api.example.test:8443/api/1.0/event?action=inviteContacts", got.URL.String())
	assert.Equal(t, []string{"application/json"}, got.Header.Values("Content-Type"))
	assert.Equal(t, "a", got.Header.Get("IVVY-Client"), "client editors run")
	assert.NotEmpty(t, got.Header.Get("X-Api-Authorization"), "the request is signed")
	gotBody, err := io.ReadAll(got.Body)
	require.NoError(t, err)
	assert.JSONEq(t, `{"event":4,"contacts":[7]}`, string(gotBody))
	assert.Equal(t, int64(len(gotBody)), got.ContentLength)
}
