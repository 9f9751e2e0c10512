package ivvy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
)

// fakeWithContacts serves a fake holding n contacts and counts the requests.
func fakeWithContacts(t *testing.T, n int, opts ...ivvyfake.Option) (*ivvyfake.Server, *ivvy.API, *atomic.Int32) {
	t.Helper()
	f := ivvyfake.New(append([]ivvyfake.Option{ivvyfake.WithKey(testKey, testSecret)}, opts...)...)
	for i := range n {
		f.AddContact(ivvyfake.Contact{FirstName: "C", LastName: fmt.Sprint(i + 1), Email: fmt.Sprintf("c%d@example.com", i+1)})
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		f.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return f, newAPI(t, srv.URL), &hits
}

func perPage(n int) *int { return &n }

func collect(t *testing.T, seq func(func(ivvy.Contact, error) bool)) ([]int64, error) {
	t.Helper()
	var ids []int64
	for c, err := range seq {
		if err != nil {
			return ids, err
		}
		ids = append(ids, int64(c.ID))
	}
	return ids, nil
}

func TestIteratorPages(t *testing.T) {
	for _, tc := range []struct {
		name      string
		contacts  int
		perPage   int
		wantCalls int32
	}{
		{"multi-page with a short last page", 25, 10, 3},
		{"exact multiple of the page size", 30, 10, 3},
		{"one short page", 3, 10, 1},
		{"empty", 0, 10, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, api, hits := fakeWithContacts(t, tc.contacts)
			ids, err := collect(t, api.Contacts(t.Context(), ivvy.GetContactListRequest{PerPage: perPage(tc.perPage)}))
			require.NoError(t, err)
			require.Len(t, ids, tc.contacts)
			seen := map[int64]bool{}
			for _, id := range ids {
				assert.False(t, seen[id], "contact %d repeated", id)
				seen[id] = true
			}
			assert.Equal(t, tc.wantCalls, hits.Load())
		})
	}
}

func TestIteratorFollowsServerPageCap(t *testing.T) {
	_, api, hits := fakeWithContacts(t, 25, ivvyfake.WithPerPageCap(5))
	ids, err := collect(t, api.Contacts(t.Context(), ivvy.GetContactListRequest{PerPage: perPage(10)}))
	require.NoError(t, err)
	assert.Len(t, ids, 25, "pages capped below the request are not mistaken for the end")
	assert.Equal(t, int32(5), hits.Load())
}

func TestIteratorBreakFetchesNothingMore(t *testing.T) {
	_, api, hits := fakeWithContacts(t, 50)
	n := 0
	for _, err := range api.Contacts(t.Context(), ivvy.GetContactListRequest{PerPage: perPage(10)}) {
		require.NoError(t, err)
		n++
		if n == 12 {
			break
		}
	}
	assert.Equal(t, 12, n)
	assert.Equal(t, int32(2), hits.Load())
}

func TestIteratorYieldsAnErrorOnceMidway(t *testing.T) {
	f := ivvyfake.New(ivvyfake.WithKey(testKey, testSecret))
	for i := range 30 {
		f.AddContact(ivvyfake.Contact{FirstName: "C", LastName: fmt.Sprint(i), Email: fmt.Sprintf("e%d@example.com", i)})
	}
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 2 {
			w.WriteHeader(http.StatusForbidden)
			_, _ = w.Write([]byte(`{"errorCode":403,"message":"Not Allowed"}`))
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	var got, errs int
	for _, err := range newAPI(t, srv.URL).Contacts(t.Context(), ivvy.GetContactListRequest{PerPage: perPage(10)}) {
		if err != nil {
			errs++
			assert.ErrorIs(t, err, ivvy.ErrForbidden)
			continue
		}
		got++
	}
	assert.Equal(t, 10, got)
	assert.Equal(t, 1, errs)
	assert.Equal(t, int32(2), hits.Load())
}

func TestIteratorRefusesAServerThatIgnoresStart(t *testing.T) {
	pages := 0
	seq := ivvy.Paginate(t.Context(), 2, func(_ context.Context, start, _ int) ([]int, *ivvy.CollectionMeta, error) {
		pages++
		zero := 0
		return []int{1, 2}, &ivvy.CollectionMeta{Start: &zero}, nil
	})
	var err error
	for _, e := range seq {
		if e != nil {
			err = e
		}
	}
	require.Error(t, err)
	assert.Contains(t, err.Error(), "asked for start 2")
	assert.Equal(t, 2, pages)
}

func TestInvitedContactsAfterInvitation(t *testing.T) {
	f := ivvyfake.Demo()
	srv := httptest.NewServer(f)
	defer srv.Close()
	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = api.InviteMany(t.Context(), 3, []int64{7, 8, 9})
	require.NoError(t, err)
	responses := map[int64]ivvy.InvitationResponse{}
	for c, err := range api.InvitedContacts(t.Context(), ivvy.GetInvitedContactListRequest{EventID: 3, PerPage: perPage(2)}) {
		require.NoError(t, err)
		require.NotNil(t, c.Response)
		responses[int64(c.ContactID)] = c.Response
	}
	assert.Len(t, responses, 3)
	assert.Equal(t, ivvy.InvitationResponse("U"), responses[8])
}

func TestRunBatchPollsUntilDoneAndKeepsOrder(t *testing.T) {
	f := ivvyfake.Demo(ivvyfake.WithBatchSteps(3))
	srv := httptest.NewServer(f)
	defer srv.Close()
	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))
	require.NoError(t, err)
	var jobs []ivvy.BatchJob
	for i := 1; i <= 205; i++ {
		jobs = append(jobs, ivvy.BatchJob{Namespace: "event", Action: "getEvent", Params: map[string]any{"id": 1 + i%4}})
	}
	out, err := api.RunBatch(t.Context(), jobs, "https://callback.example.com/ivvy", ivvy.WithPollInterval(time.Millisecond, 4*time.Millisecond))
	require.NoError(t, err)
	assert.Len(t, out.AsyncIDs, 2, "205 jobs make two batches of at most 200")
	require.Len(t, out.Results, 205)
	assert.GreaterOrEqual(t, out.Polls, 2)
	for i, r := range out.Results {
		id := 1 + (i+1)%4
		ev, err := ivvy.DecodeJobResponse[ivvy.Event](r)
		if id == 4 {
			assert.ErrorIs(t, err, ivvy.ErrNotFound, "job %d", i)
			continue
		}
		require.NoError(t, err, "job %d", i)
		assert.Equal(t, ivvy.Int(id), ev.ID, "job %d", i)
	}
}

func TestRunBatchStopsWhenContextEnds(t *testing.T) {
	f := ivvyfake.Demo()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("action") == "progress" { // a batch that never finishes
			if polls.Add(1) == 3 {
				cancel() // the caller gives up while the third poll is answered
			}
			_, _ = w.Write([]byte(`{"progress":10}`))
			return
		}
		f.ServeHTTP(w, r)
	}))
	defer srv.Close()
	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, ivvy.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = api.RunBatch(ctx, []ivvy.BatchJob{{Namespace: "test", Action: "ping"}}, "https://cb.example.com", ivvy.WithPollInterval(time.Millisecond, 2*time.Millisecond))
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualValues(t, 3, polls.Load(), "no poll after the caller gave up")
}

func TestRunBatchRejectsBadInput(t *testing.T) {
	api := newAPI(t, "http://127.0.0.1:1")
	_, err := api.RunBatch(t.Context(), nil, "https://cb")
	assert.ErrorContains(t, err, "no jobs")
	_, err = api.RunBatch(t.Context(), []ivvy.BatchJob{{Namespace: "event"}}, "https://cb")
	assert.ErrorContains(t, err, "job 1 needs a namespace and an action")
	_, err = api.RunBatch(t.Context(), []ivvy.BatchJob{{Namespace: "event", Action: "getEvent"}}, "")
	assert.ErrorContains(t, err, "callback URL")
}

// lyingServer answers every getContactList with totalResults a million and
// the records page(start) returns, echoing the start it was asked for.
func lyingServer(t *testing.T, page func(start int) []int) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		n := calls.Add(1)
		if n > 50 {
			w.WriteHeader(http.StatusTeapot) // the iterator should have stopped long ago
			return
		}
		var req struct {
			Start int `json:"start"`
		}
		_ = json.Unmarshal(body, &req)
		var results []string
		for _, id := range page(req.Start) {
			results = append(results, fmt.Sprintf(`{"id":%d,"firstName":"C","lastName":"%d","email":"c%d@example.com"}`, id, id, id))
		}
		_, _ = fmt.Fprintf(w, `{"meta":{"totalResults":1000000,"start":%d,"perPage":3,"count":%d},"results":[%s]}`,
			req.Start, len(results), strings.Join(results, ","))
	})
	return srv, &calls
}

func TestIteratorEndsWhenTheServerRepeatsAPage(t *testing.T) {
	srv, calls := lyingServer(t, func(int) []int { return []int{1, 2, 3} })
	ids, err := collect(t, newAPI(t, srv.URL).Contacts(t.Context(), ivvy.GetContactListRequest{PerPage: perPage(3)}))
	require.ErrorIs(t, err, ivvy.ErrRepeatedPage)
	assert.Contains(t, err.Error(), "start 3")
	assert.Equal(t, []int64{1, 2, 3}, ids, "the first page arrived before the error")
	assert.Equal(t, int32(2), calls.Load())
}

func TestIteratorEndsOnAnEmptyPageDespiteTotalResults(t *testing.T) {
	srv, calls := lyingServer(t, func(start int) []int {
		if start >= 6 {
			return nil
		}
		return []int{start + 1, start + 2, start + 3}
	})
	ids, err := collect(t, newAPI(t, srv.URL).Contacts(t.Context(), ivvy.GetContactListRequest{PerPage: perPage(3)}))
	require.NoError(t, err)
	assert.Equal(t, []int64{1, 2, 3, 4, 5, 6}, ids)
	assert.Equal(t, int32(3), calls.Load())
}

func TestAllRefusesARepeatedPage(t *testing.T) {
	pages := 0
	seq := ivvy.Paginate(t.Context(), 2, func(_ context.Context, start, _ int) ([]string, *ivvy.CollectionMeta, error) {
		pages++
		total := 1 << 30
		if start >= 4 {
			return []string{"c", "d"}, &ivvy.CollectionMeta{TotalResults: &total}, nil // page 3 repeats page 2
		}
		return []string{string(rune('a' + start)), string(rune('b' + start))}, &ivvy.CollectionMeta{TotalResults: &total}, nil
	})
	var got []string
	var err error
	for v, e := range seq {
		if e != nil {
			err = e
			continue
		}
		got = append(got, v)
	}
	require.ErrorIs(t, err, ivvy.ErrRepeatedPage)
	assert.Equal(t, []string{"a", "b", "c", "d"}, got)
	assert.Equal(t, 3, pages)
}
