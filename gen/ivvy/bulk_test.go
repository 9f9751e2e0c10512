package ivvy_test

import (
	"encoding/json"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// maxInviteContacts is the most contacts one inviteContacts call may carry.
// It is written out rather than taken from DefaultInviteChunkSize so that a
// change of the default is caught here.
const maxInviteContacts = 100

// Without WithChunkSize, every request of InviteMany carries at most 100
// contacts, all contacts are sent exactly once, and the chunks are as large
// as allowed.
func TestInviteManyDefaultChunkIsAtMost100(t *testing.T) {
	var mu sync.Mutex
	var sizes []int
	seen := map[int64]int{}
	srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, body []byte) {
		var req ivvy.InviteContactsRequest
		require.NoError(t, json.Unmarshal(body, &req))
		mu.Lock()
		sizes = append(sizes, len(req.Contacts))
		for _, id := range req.Contacts {
			seen[id]++
		}
		mu.Unlock()
		type res struct {
			Contact int64 `json:"contact"`
			Status  bool  `json:"status"`
		}
		out := make([]res, len(req.Contacts))
		for i, id := range req.Contacts {
			out[i] = res{id, true}
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"results": out})
	})
	const n = 2*maxInviteContacts + 50
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	res, err := newAPI(t, srv.URL).InviteMany(t.Context(), 7, ids)
	require.NoError(t, err)
	assert.Equal(t, n, res.Invited())
	assert.Equal(t, 3, res.Calls, "250 contacts in chunks of 100")
	require.Len(t, sizes, 3)
	for _, s := range sizes {
		assert.LessOrEqual(t, s, maxInviteContacts, "contacts in one request")
	}
	assert.ElementsMatch(t, []int{100, 100, 50}, sizes)
	assert.Len(t, seen, n)
	for id, c := range seen {
		assert.Equal(t, 1, c, "contact %d sent once", id)
	}
}
