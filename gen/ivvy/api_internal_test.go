package ivvy

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/oas"
)

type recordingTransport struct {
	seen map[string]httpx.Operation // request URI -> operation tag
}

func (rt *recordingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	op, _ := httpx.OperationFrom(req.Context())
	rt.seen[req.URL.RequestURI()] = op
	return &http.Response{StatusCode: 200, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(`{}`)), Request: req}, nil
}

// Every facade method must tag its call with the operationId and retry
// safety that the spec gives the path it posts to.
func TestEveryOperationIsTaggedAsTheSpecSays(t *testing.T) {
	rt := &recordingTransport{seen: map[string]httpx.Operation{}}
	a, err := New("k", "s", WithEndpoint("http://ivvy.test"), WithTransport(rt), WithMaxAttempts(1))
	require.NoError(t, err)
	ctx := context.Background()
	_, _ = a.Ping(ctx)
	_, _ = a.InviteContacts(ctx, 1, []int64{1})
	_, _ = a.AddOrUpdateEvent(ctx, AddOrUpdateEventRequest{})
	_, _ = a.GetEventList(ctx, GetEventListRequest{})
	_, _ = a.GetEvent(ctx, GetEventRequest{})
	_, _ = a.GetRegistration(ctx, GetRegistrationRequest{})
	_, _ = a.GetRegistrationList(ctx, GetRegistrationListRequest{})
	_, _ = a.GetAttendee(ctx, GetAttendeeRequest{})
	_, _ = a.GetAttendeeList(ctx, GetAttendeeListRequest{})
	_, _ = a.GetInvitedContactList(ctx, GetInvitedContactListRequest{})
	_, _ = a.GetSponsorshipList(ctx, GetSponsorshipListRequest{})
	_, _ = a.GetSpeakerList(ctx, GetSpeakerListRequest{})
	_, _ = a.GetSessionList(ctx, GetSessionListRequest{})
	_, _ = a.CreateLoginToken(ctx, CreateLoginTokenRequest{})
	_, _ = a.GetContactList(ctx, GetContactListRequest{})
	_, _ = a.GetContact(ctx, GetContactRequest{})
	_, _ = a.AddOrUpdateContact(ctx, AddOrUpdateContactRequest{})
	_, _ = a.BatchRun(ctx, BatchRunRequest{})
	_, _ = a.BatchProgress(ctx, "x")
	_, _ = a.BatchResults(ctx, "x")
	_, _ = a.BatchRestart(ctx, "x")
	_, _ = a.BatchRepost(ctx, "x")

	doc, err := GetSpec()
	require.NoError(t, err)
	router, err := oas.NewRouter(doc)
	require.NoError(t, err)
	safe := oas.RetrySafe(doc)
	covered := map[string]bool{}
	for uri, op := range rt.seen {
		req, _ := http.NewRequest(http.MethodPost, "http://ivvy.test"+uri, nil)
		route, _, err := router.FindRoute(req)
		require.NoError(t, err, uri)
		assert.Equal(t, route.Operation.OperationID, op.ID, uri)
		assert.Equal(t, safe[op.ID], op.Safe, "%s retry safety", op.ID)
		covered[op.ID] = true
	}
	for id := range safe {
		assert.True(t, covered[id], "no facade method calls %s", id)
	}
}
