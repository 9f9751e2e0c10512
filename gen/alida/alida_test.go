package alida_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/internal/httpx"
)

// clock is a manual clock shared by the fake and the client.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func startDemo(t *testing.T, opts ...alidafake.Option) (*alidafake.Server, *httptest.Server) {
	t.Helper()
	fake := alidafake.Demo(opts...)
	srv := httptest.NewServer(fake)
	t.Cleanup(srv.Close)
	return fake, srv
}

func basicClient(t *testing.T, srv *httptest.Server, opts ...alida.Option) *alida.API {
	t.Helper()
	api, err := alida.New(alidafake.DemoCommunity,
		alida.BasicAuth(alidafake.DemoUsername, alidafake.DemoPassword),
		append([]alida.Option{alida.WithBaseURL(srv.URL)}, opts...)...)
	require.NoError(t, err)
	return api
}

func invite(member uuid.UUID) alida.NewInvitationEvent {
	return alida.NewInvitationEvent{
		MemberID:        member,
		CommunicationID: alidafake.DemoOpenCommunication,
		EventType:       alida.InvitationEventTypeSurveyInvited,
	}
}

var (
	alice = alidafake.DemoMembers["alice@example.com"]
	bob   = alidafake.DemoMembers["bob@example.com"]
)

func TestBasicAuthReportsWithEvents(t *testing.T) {
	fake, srv := startDemo(t)
	api := basicClient(t, srv)

	results, err := api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice), invite(bob)})
	require.NoError(t, err)
	require.Len(t, results, 1)
	r := results[0]
	assert.Equal(t, alida.OutcomeQueuedWithEvents, r.Outcome)
	assert.Equal(t, 0, r.First)
	assert.Equal(t, 2, r.Count)
	require.Len(t, r.Events, 2)
	assert.Equal(t, alice, r.Events[0].MemberID)
	assert.Equal(t, bob, r.Events[1].MemberID)
	assert.Equal(t, "SurveyInvited", r.Events[0].EventType)
	assert.Equal(t, "External Invitation", r.Events[0].CommunicationName)
	assert.Len(t, fake.Events(alidafake.DemoCommunity), 2)
	assert.Equal(t, 2, fake.QueuedCount(alidafake.DemoCommunity))
}

func TestThreeCreatedShapes(t *testing.T) {
	_, srv := startDemo(t)
	withDetail := basicClient(t, srv)
	noDetail := basicClient(t, srv, alida.WithReturnResource(false))

	// Queued, answer without a body.
	res, err := noDetail.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.NoError(t, err)
	require.Len(t, res, 1)
	assert.Equal(t, alida.OutcomeQueued, res[0].Outcome)
	assert.Empty(t, res[0].Events)

	// Queued, with the created events.
	res, err = withDetail.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(bob)})
	require.NoError(t, err)
	assert.Equal(t, alida.OutcomeQueuedWithEvents, res[0].Outcome)
	require.Len(t, res[0].Events, 1)

	// Alice is no longer queued: nothing queued, the empty collection.
	res, err = withDetail.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.NoError(t, err)
	assert.Equal(t, alida.OutcomeNothingQueued, res[0].Outcome)
	require.NotNil(t, res[0].Collection)
	assert.Empty(t, res[0].Collection.Items)
	require.NotNil(t, res[0].Collection.Links)
	assert.Len(t, res[0].Collection.Links, 4)
}

func TestReminders(t *testing.T) {
	_, srv := startDemo(t)
	api := basicClient(t, srv)
	_, err := api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.NoError(t, err)

	remind := func(m uuid.UUID) alida.NewReminderEvent {
		return alida.NewReminderEvent{MemberID: m, CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.ReminderEventTypeReminded}
	}
	res, err := api.ReportReminders(t.Context(), []alida.NewReminderEvent{remind(alice), remind(bob)})
	require.NoError(t, err)
	assert.Equal(t, alida.OutcomeQueuedWithEvents, res[0].Outcome)
	require.Len(t, res[0].Events, 1, "bob was never invited, so only alice is reminded")
	assert.Equal(t, "Reminded", res[0].Events[0].EventType)
	assert.Equal(t, "External Invitation Reminder", res[0].Events[0].CommunicationName)

	_, err = api.ReportReminders(t.Context(), []alida.NewReminderEvent{remind(alice)})
	require.ErrorIs(t, err, alida.ErrBadRequest, "alice is already being reminded")
}

func TestClientCredentialsTokenReusedAndRefreshed(t *testing.T) {
	clk := newClock()
	fake, srv := startDemo(t, alidafake.WithClock(clk.Now), alidafake.WithTokenLifetime(10*time.Minute))
	api, err := alida.New(alidafake.DemoCommunity,
		alida.ClientCredentials(alidafake.DemoClientID, alidafake.DemoClientSecret, ""),
		alida.WithBaseURL(srv.URL), alida.WithClock(clk.Now))
	require.NoError(t, err)

	list := func() {
		t.Helper()
		_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
		require.NoError(t, err)
	}
	list()
	list()
	assert.Equal(t, 1, fake.TokenRequests(), "the token is reused")

	clk.Advance(8 * time.Minute)
	list()
	assert.Equal(t, 1, fake.TokenRequests(), "still well before expiry")

	clk.Advance(90 * time.Second) // 30s before expiry: inside the renewal margin
	list()
	assert.Equal(t, 2, fake.TokenRequests(), "renewed shortly before expiry")
	list()
	assert.Equal(t, 2, fake.TokenRequests())
	assert.Equal(t, 5, fake.Calls("listQueuedInvitationEvents"))
}

func TestClientCredentialsConcurrentCallersShareOneToken(t *testing.T) {
	fake, srv := startDemo(t)
	api, err := alida.New(alidafake.DemoCommunity,
		alida.ClientCredentials(alidafake.DemoClientID, alidafake.DemoClientSecret, srv.URL+alidafake.TokenPath),
		alida.WithBaseURL(srv.URL))
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	assert.Equal(t, 1, fake.TokenRequests())
}

func TestExpiredTokenIsDroppedAfter401(t *testing.T) {
	clk := newClock()
	fake, srv := startDemo(t, alidafake.WithClock(clk.Now), alidafake.WithTokenLifetime(10*time.Minute))
	// The client's clock stands still, so it believes its token is fresh.
	frozen := clk.Now()
	api, err := alida.New(alidafake.DemoCommunity,
		alida.ClientCredentials(alidafake.DemoClientID, alidafake.DemoClientSecret, ""),
		alida.WithBaseURL(srv.URL), alida.WithClock(func() time.Time { return frozen }))
	require.NoError(t, err)
	_, err = api.CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err)

	clk.Advance(time.Hour)
	_, err = api.CollectQueued(t.Context(), time.Time{}, nil)
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	_, err = api.CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err, "the refused token is not reused")
	assert.Equal(t, 2, fake.TokenRequests())
}

func TestWrongCredentials(t *testing.T) {
	_, srv := startDemo(t)
	const secret = "not-the-password-42"

	api, err := alida.New(alidafake.DemoCommunity, alida.BasicAuth(alidafake.DemoUsername, secret), alida.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	var apiErr *alida.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusUnauthorized, apiErr.StatusCode)
	assert.Equal(t, "createInvitationEvents", apiErr.Operation)
	assert.NotEmpty(t, apiErr.ErrorID)
	assert.NotContains(t, err.Error(), secret)

	api, err = alida.New(alidafake.DemoCommunity, alida.ClientCredentials(alidafake.DemoClientID, secret, ""), alida.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = api.CollectQueued(t.Context(), time.Time{}, nil)
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "token", apiErr.Operation)
	assert.NotContains(t, err.Error(), secret)
}

func TestClosedCommunicationAndUnknownMember(t *testing.T) {
	fake, srv := startDemo(t)
	api := basicClient(t, srv)

	ev := invite(alice)
	ev.CommunicationID = alidafake.DemoClosedCommunication
	_, err := api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{ev})
	require.ErrorIs(t, err, alida.ErrBadRequest)
	var apiErr *alida.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 400, apiErr.Status)
	assert.Contains(t, apiErr.Message, "closed")
	_, parseErr := uuid.Parse(apiErr.ErrorID)
	assert.NoError(t, parseErr, "errorId is a GUID")

	_, err = api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(uuid.MustParse("99999999-9999-4999-8999-999999999999"))})
	require.ErrorIs(t, err, alida.ErrNotFound)
	assert.False(t, errors.Is(err, alida.ErrBadRequest))
	assert.Empty(t, fake.Events(alidafake.DemoCommunity))
}

func TestInvalidEventsAreNotSent(t *testing.T) {
	fake, srv := startDemo(t)
	api := basicClient(t, srv)
	bad := []alida.NewInvitationEvent{
		invite(alice),
		{MemberID: bob, CommunicationID: alidafake.DemoOpenCommunication, EventType: "Reminded"},
	}
	_, err := api.ReportInvitations(t.Context(), bad)
	require.ErrorContains(t, err, "invitation event 2")
	_, err = api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{{CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.InvitationEventTypeSurveyInvited}})
	require.ErrorContains(t, err, "memberId is missing")
	assert.Zero(t, fake.Calls("createInvitationEvents"))

	res, err := api.ReportInvitations(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, res)
	assert.Zero(t, fake.Calls("createInvitationEvents"))
}

// queueMany adds n members queued for the open communication and returns
// their ids in queue order.
func queueMany(t *testing.T, fake *alidafake.Server, clk *clock, n int) []uuid.UUID {
	t.Helper()
	ids := make([]uuid.UUID, n)
	for i := range ids {
		ids[i] = uuid.New()
		require.NoError(t, fake.AddMember(alidafake.DemoCommunity, alidafake.Member{ID: ids[i], Email: fmt.Sprintf("m%d@example.com", i)}))
		require.NoError(t, fake.Queue(alidafake.DemoCommunity, ids[i], alidafake.DemoOpenCommunication))
		clk.Advance(time.Second)
	}
	return ids
}

func TestChunkingKeepsInputOrder(t *testing.T) {
	clk := newClock()
	fake, srv := startDemo(t, alidafake.WithClock(clk.Now))
	ids := queueMany(t, fake, clk, 1200)
	api := basicClient(t, srv)

	events := make([]alida.NewInvitationEvent, len(ids))
	for i, id := range ids {
		events[i] = invite(id)
	}
	results, err := api.ReportInvitations(t.Context(), events)
	require.NoError(t, err)
	require.Len(t, results, 3)
	assert.Equal(t, 3, fake.Calls("createInvitationEvents"))
	for i, want := range [][2]int{{0, 500}, {500, 500}, {1000, 200}} {
		assert.Equal(t, want[0], results[i].First)
		assert.Equal(t, want[1], results[i].Count)
		assert.Equal(t, alida.OutcomeQueuedWithEvents, results[i].Outcome)
	}
	created := alida.Events(results)
	require.Len(t, created, len(ids))
	for i, ev := range created {
		require.Equal(t, ids[i], ev.MemberID, "event %d", i)
	}
}

func TestChunkSizeOptionAndPartialFailure(t *testing.T) {
	clk := newClock()
	fake, srv := startDemo(t, alidafake.WithClock(clk.Now))
	ids := queueMany(t, fake, clk, 5)
	api := basicClient(t, srv)

	events := []alida.NewInvitationEvent{invite(ids[0]), invite(ids[1]), invite(ids[2]), invite(uuid.New()), invite(ids[4])}
	results, err := api.ReportInvitations(t.Context(), events, alida.WithChunkSize(2))
	require.Error(t, err)
	var repErr *alida.ReportError
	require.ErrorAs(t, err, &repErr)
	assert.Equal(t, 2, repErr.First)
	assert.Equal(t, 2, repErr.Count)
	assert.Equal(t, 5, repErr.Total)
	require.ErrorIs(t, err, alida.ErrNotFound)
	require.Len(t, results, 1, "the first POST succeeded")
	assert.Equal(t, 2, results[0].Count)
	assert.Equal(t, 2, fake.Calls("createInvitationEvents"), "nothing is sent after the failure")
}

func TestQueuedIteratorFollowsNextLinks(t *testing.T) {
	clk := newClock()
	fake, srv := startDemo(t, alidafake.WithClock(clk.Now))
	clk.Advance(time.Hour)
	ids := queueMany(t, fake, clk, 45)
	api := basicClient(t, srv, alida.WithPageSize(10))

	// Only the 45 queued after the demo's four.
	after := newClock().Now().Add(30 * time.Minute)
	var got []uuid.UUID
	for ev, err := range api.Queued(t.Context(), after, nil) {
		require.NoError(t, err)
		got = append(got, ev.MemberID)
	}
	assert.Equal(t, ids, got)
	assert.Equal(t, 5, fake.Calls("listQueuedInvitationEvents"))

	// Stopping early reads no further page.
	n := 0
	for _, err := range api.Queued(t.Context(), after, nil) {
		require.NoError(t, err)
		n++
		if n == 12 {
			break
		}
	}
	assert.Equal(t, 12, n)
	assert.Equal(t, 7, fake.Calls("listQueuedInvitationEvents"))
}

func TestQueuedFieldsAndDate(t *testing.T) {
	_, srv := startDemo(t)
	api := basicClient(t, srv)
	all, err := api.CollectQueued(t.Context(), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), &alida.QueuedOptions{Fields: "memberId"})
	require.NoError(t, err)
	require.Len(t, all, 4)
	assert.NotEqual(t, alida.GUID{}, all[0].MemberID)
	assert.Empty(t, all[0].Title)

	later, err := api.CollectQueued(t.Context(), time.Now().Add(time.Hour), nil)
	require.NoError(t, err)
	assert.Empty(t, later)

	assert.Equal(t, "2017-02-28", alida.FormatDateUTC(time.Date(2017, 2, 28, 0, 0, 0, 0, time.UTC)))
	assert.Equal(t, "2017-02-28T21:30:05", alida.FormatDateUTC(time.Date(2017, 2, 28, 22, 30, 5, 0, time.FixedZone("CET", 3600))))
}

// pageServer answers the queued list with one item and the given next link.
func pageServer(t *testing.T, next func(self string) string) *httptest.Server {
	t.Helper()
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"meta":{"offset":0,"limit":1,"count":2},"items":[{"title":"x"}],"links":[{"rel":"next","href":%q}]}`, next(srv.URL+r.URL.RequestURI()))
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestQueuedRefusesNextLinkToAnotherHost(t *testing.T) {
	var otherHits atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		otherHits.Add(1)
	}))
	t.Cleanup(other.Close)
	srv := pageServer(t, func(string) string {
		return other.URL + "/v1/applications/demo-community/invitationevents/queuedafter/2020?offset=1"
	})
	api := basicClient(t, srv)

	items, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	var linkErr *alida.LinkError
	require.ErrorAs(t, err, &linkErr)
	assert.Contains(t, linkErr.Reason, "another host")
	assert.Len(t, items, 1)
	assert.Zero(t, otherHits.Load(), "the other host got nothing, credentials included")
}

func TestQueuedRefusesLoop(t *testing.T) {
	srv := pageServer(t, func(self string) string { return self })
	api := basicClient(t, srv)
	items, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	var linkErr *alida.LinkError
	require.ErrorAs(t, err, &linkErr)
	assert.Len(t, items, 1)
}

func TestNonJSONErrorPage(t *testing.T) {
	page := "<html><body>" + strings.Repeat("Bad gateway. ", 100) + "</body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusInternalServerError)
		_, _ = w.Write([]byte(page))
	}))
	t.Cleanup(srv.Close)
	api := basicClient(t, srv)
	_, err := api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.ErrorIs(t, err, alida.ErrServer)
	var apiErr *alida.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 500, apiErr.StatusCode)
	assert.NotEmpty(t, apiErr.Body)
	assert.LessOrEqual(t, len(apiErr.Body), 200)
	assert.Empty(t, apiErr.ErrorID)
}

func TestUnsafePostIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte(`{"status":503,"message":"busy","developerMessage":null,"errorId":"e"}`))
	}))
	t.Cleanup(srv.Close)
	api := basicClient(t, srv)
	_, err := api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.ErrorIs(t, err, alida.ErrServer)
	assert.Equal(t, int32(1), hits.Load())
}

func TestTransportFailureAfterSendIsOutcomeUnknown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hj, ok := w.(http.Hijacker)
		require.True(t, ok)
		conn, _, err := hj.Hijack()
		require.NoError(t, err)
		_ = conn.Close()
	}))
	t.Cleanup(srv.Close)
	api := basicClient(t, srv)
	_, err := api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.ErrorIs(t, err, httpx.ErrOutcomeUnknown)
}

func TestNewChecksSettings(t *testing.T) {
	auth := alida.BasicAuth("u", "p")
	_, err := alida.New("c", auth)
	require.ErrorContains(t, err, "WithRegion or WithBaseURL")
	_, err = alida.New("c", auth, alida.WithRegion("evil.com/x"))
	require.Error(t, err)
	_, err = alida.New("", auth, alida.WithRegion("na1"))
	require.Error(t, err)
	_, err = alida.New("c", alida.Auth{}, alida.WithRegion("na1"))
	require.Error(t, err)
	_, err = alida.New("c", alida.BasicAuth("u", ""), alida.WithRegion("na1"))
	require.Error(t, err)
	_, err = alida.New("c", auth, alida.WithBaseURL("https://api.na1.alida.com/v1"))
	require.Error(t, err)
	_, err = alida.New("c", auth, alida.WithRegion("na1"), alida.WithPageSize(1001))
	require.Error(t, err)

	api, err := alida.New("c", auth, alida.WithRegion("na1"))
	require.NoError(t, err)
	assert.Equal(t, "https://api.na1.alida.com", api.Endpoint())
	assert.Equal(t, "c", api.Community())
}

func TestTokenURLDefaultsToAPIHost(t *testing.T) {
	var tokenPaths []string
	var mu sync.Mutex
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tokenPaths = append(tokenPaths, r.URL.Path)
		mu.Unlock()
		http.Error(w, `{"error":"invalid_client"}`, http.StatusUnauthorized)
	}))
	t.Cleanup(srv.Close)
	api, err := alida.New("c", alida.ClientCredentials("id", "sec", ""), alida.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = api.CollectQueued(context.Background(), time.Time{}, nil)
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, tokenPaths)
	assert.Equal(t, "/oauth2/token", tokenPaths[0])
}

func TestClientNeverPrintsSecrets(t *testing.T) {
	api, err := alida.New("c", alida.ClientCredentials("client", "hunter2-secret", ""), alida.WithRegion("na1"))
	require.NoError(t, err)
	for _, s := range []string{fmt.Sprint(api), fmt.Sprintf("%+v", api), fmt.Sprintf("%#v", api), fmt.Sprintf("%v", *api)} {
		assert.NotContains(t, s, "hunter2")
	}
}

func TestAuthNeverPrintsSecrets(t *testing.T) {
	for _, a := range []alida.Auth{
		alida.BasicAuth("user", "hunter2-secret"),
		alida.ClientCredentials("client", "hunter2-secret", "https://example.test/token"),
	} {
		for _, s := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", a), fmt.Sprintf("%#v", a), fmt.Sprintf("%v", &a)} {
			assert.NotContains(t, s, "hunter2")
		}
	}
}

func TestEditorsRunOnFollowedLinksAndBodyCap(t *testing.T) {
	var mu sync.Mutex
	var traces []string
	fake := alidafake.Demo()
	spy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		traces = append(traces, r.Header.Get("X-Trace"))
		mu.Unlock()
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(spy.Close)
	api := basicClient(t, spy, alida.WithPageSize(1), alida.WithEditor(func(_ context.Context, req *http.Request) error {
		req.Header.Set("X-Trace", "on")
		return nil
	}))
	items, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err)
	assert.Len(t, items, 4)
	mu.Lock()
	assert.Equal(t, []string{"on", "on", "on", "on"}, traces)
	mu.Unlock()

	small := basicClient(t, spy, alida.WithMaxResponseBytes(100))
	_, err = small.CollectQueued(t.Context(), time.Time{}, nil)
	var tooLarge *httpx.TooLargeError
	require.ErrorAs(t, err, &tooLarge)
}

// hostilePages answers the queued list with page(n) for the n-th request;
// past 20 requests it answers 418, which the client should never see.
func hostilePages(t *testing.T, page func(n int32, self string) string) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		if n > 20 {
			w.WriteHeader(http.StatusTeapot)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(page(n, srv.URL+r.URL.Path)))
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestQueuedRefusesARepeatedPage(t *testing.T) {
	srv, calls := hostilePages(t, func(n int32, self string) string {
		return fmt.Sprintf(`{"meta":{"offset":%d,"limit":1,"count":1000000},"items":[{"title":"same"}],"links":[{"rel":"next","href":"%s?offset=%d"}]}`, n-1, self, n)
	})
	items, err := basicClient(t, srv).CollectQueued(t.Context(), time.Time{}, nil)
	require.ErrorIs(t, err, alida.ErrRepeatedPage)
	assert.Contains(t, err.Error(), "page 2")
	assert.Contains(t, err.Error(), "offset=1", "the error names the page")
	assert.Len(t, items, 1, "what arrived before the repeat")
	assert.Equal(t, int32(2), calls.Load())
}

func TestQueuedEndsOnAnEmptyPage(t *testing.T) {
	srv, calls := hostilePages(t, func(n int32, self string) string {
		items := fmt.Sprintf(`{"title":"t%d"}`, n)
		if n == 3 {
			items = ""
		}
		return fmt.Sprintf(`{"meta":{"count":1000000},"items":[%s],"links":[{"rel":"next","href":"%s?offset=%d"}]}`, items, self, n)
	})
	items, err := basicClient(t, srv).CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err)
	assert.Len(t, items, 2)
	assert.Equal(t, int32(3), calls.Load(), "nothing asked after the empty page")
}

func TestQueuedRefusesALoopDisguisedByFragmentOrOrder(t *testing.T) {
	srv, calls := hostilePages(t, func(n int32, self string) string {
		return fmt.Sprintf(`{"items":[{"title":"t%d"}],"links":[{"rel":"next","href":"%s?b=2&a=1#%d"}]}`, n, self, n)
	})
	items, err := basicClient(t, srv).CollectQueued(t.Context(), time.Time{}, nil)
	var linkErr *alida.LinkError
	require.ErrorAs(t, err, &linkErr)
	assert.Contains(t, linkErr.Reason, "already read")
	assert.Contains(t, err.Error(), "b=2&a=1#2", "the error names the link")
	assert.Len(t, items, 2)
	assert.Equal(t, int32(2), calls.Load())
}
