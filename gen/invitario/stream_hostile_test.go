package invitario_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/invitario"
)

// repeatByte reads n copies of one byte, so that a huge answer is never
// held in memory by the test.
type repeatByte struct {
	c byte
	n int
}

func (r *repeatByte) Read(p []byte) (int, error) {
	if r.n == 0 {
		return 0, io.EOF
	}
	k := min(len(p), r.n)
	for i := range k {
		p[i] = r.c
	}
	r.n -= k
	return k, nil
}

// serveList answers the guest list call with body and everything else
// with the demo fake.
func serveList(t *testing.T, body func() io.Reader) string {
	t.Helper()
	fake, srv := startFake(t)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/guest/list/all" {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.Copy(w, body())
			return
		}
		fake.ServeHTTP(w, r)
	})
	return srv.URL
}

// deepGuestList is a list of one guest whose unknown property holds depth
// nested arrays.
func deepGuestList(depth int) io.Reader {
	return io.MultiReader(
		strings.NewReader(`{"status":"success","guests":[{"id":"deep","accessCode":"A","x":`),
		&repeatByte{c: '[', n: depth},
		&repeatByte{c: ']', n: depth},
		strings.NewReader(`}],"count":1}`),
	)
}

// A guest list of 12 million nested arrays inside one unknown property,
// with the per-guest cap raised far enough to let it through, must end in
// a clear error, not a stack overflow. Whatever decodes guests (now or
// later) goes through the public streaming API and must pass this.
func TestDeeplyNestedGuestIsRefused(t *testing.T) {
	const depth = 12_000_000
	url := serveList(t, func() io.Reader { return deepGuestList(depth) })
	api := newAPI(t, url, demoCreds(), invitario.WithMaxGuestBytes(64<<20), invitario.WithMaxAttempts(1))
	n, err := countGuests(api, t)
	require.Error(t, err)
	assert.Equal(t, 0, n)
	assert.Contains(t, err.Error(), "nested deeper than")
	assert.Contains(t, err.Error(), "guest 1")
	require.NoError(t, api.Close(t.Context()))
}

// Nesting within the limit is skipped like any unknown property.
func TestNestedUnknownWithinLimitIsSkipped(t *testing.T) {
	url := serveList(t, func() io.Reader { return deepGuestList(5000) })
	api := newAPI(t, url, demoCreds())
	var ids []string
	for g, err := range api.GuestsAll(t.Context(), nil) {
		require.NoError(t, err)
		ids = append(ids, g.Id)
	}
	assert.Equal(t, []string{"deep"}, ids)
	require.NoError(t, api.Close(t.Context()))
}
