package benchmarks

import (
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/stretchr/testify/require"

	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
)

// bulkFixture is an iVvy fake on a local test server holding one event and
// n contacts, and a client for it.
type bulkFixture struct {
	fake     *ivvyfake.Server
	srv      *httptest.Server
	api      *ivvy.API
	event    int64
	contacts []int64
}

func newBulkFixture(tb testing.TB, n int) *bulkFixture {
	tb.Helper()
	f := &bulkFixture{fake: ivvyfake.New(ivvyfake.WithKey(benchKey, benchSecret))}
	f.event = f.fake.AddEvent(ivvyfake.Event{Title: "Annual conference", Timezone: "Australia/Sydney"})
	f.contacts = make([]int64, n)
	for i := range n {
		f.contacts[i] = f.fake.AddContact(ivvyfake.Contact{FirstName: "Guest", LastName: "Number", Email: "guest@example.com"})
	}
	f.srv = httptest.NewServer(f.fake)
	tb.Cleanup(f.srv.Close)
	api, err := ivvy.New(benchKey, benchSecret, ivvy.WithBaseURL(f.srv.URL))
	require.NoError(tb, err)
	f.api = api
	return f
}

// invite invites every contact and fails unless each was invited in
// exactly ceil(n/chunk) inviteContacts requests.
func (f *bulkFixture) invite(tb testing.TB, chunk int, opts ...ivvy.BulkOption) *ivvy.BulkInviteResult {
	before := f.fake.Calls("inviteContacts")
	res, err := f.api.InviteMany(tb.Context(), f.event, f.contacts, append(opts, ivvy.WithChunkSize(chunk))...)
	if err != nil {
		tb.Fatal(err)
	}
	want := (len(f.contacts) + chunk - 1) / chunk
	if got := f.fake.Calls("inviteContacts") - before; got != want || res.Calls != want {
		tb.Fatalf("%d contacts in chunks of %d took %d requests (client counted %d), want %d", len(f.contacts), chunk, got, res.Calls, want)
	}
	if n := res.Invited(); n != len(f.contacts) {
		tb.Fatalf("%d of %d contacts invited", n, len(f.contacts))
	}
	return res
}

func TestBulkFixtureCountsRequests(t *testing.T) {
	f := newBulkFixture(t, 250)
	f.invite(t, 100)                          // 3 requests
	f.invite(t, 100, ivvy.WithConcurrency(1)) // again, one at a time
	require.Equal(t, 6, f.fake.Calls("inviteContacts"))
	require.Len(t, f.fake.Invitations(f.event), 250)
}

// BenchmarkInviteMany invites 10,000 contacts to an event of the iVvy fake
// (signature checks and spec validation included) over a local test
// server: "concurrent" in chunks of 100 with the default 4 calls at once,
// "sequential" in chunks of 100 one at a time, "one-request" all in a
// single call (for the memory that chunking saves). Each operation checks
// that it took ceil(10000/chunk) requests. It reports requests/op, B/op
// (client and fake together, as both run in the benchmark's process), and
// for one run the peak heap (see peakHeap), the heap the result keeps (one
// outcome per contact, with its links) and the difference: what the calls
// in flight took at the peak, garbage not yet collected included.
func BenchmarkInviteMany(b *testing.B) {
	const n = 10_000
	f := newBulkFixture(b, n)
	f.invite(b, 100) // the first run creates the invitations; later runs renew them
	for _, mode := range []struct {
		name  string
		chunk int
		opts  []ivvy.BulkOption
	}{
		{"concurrent", 100, nil},
		{"sequential", 100, []ivvy.BulkOption{ivvy.WithConcurrency(1)}},
		{"one-request", n, nil},
	} {
		b.Run(mode.name, func(b *testing.B) {
			var res *ivvy.BulkInviteResult
			peak, retained := peakAndRetainedHeap(func() { res = f.invite(b, mode.chunk, mode.opts...) })
			runtime.KeepAlive(res)
			b.ReportAllocs()
			for b.Loop() {
				f.invite(b, mode.chunk, mode.opts...)
			}
			b.ReportMetric(float64((n+mode.chunk-1)/mode.chunk), "requests/op")
			b.ReportMetric(float64(peak)/mib, "peak-heap-MiB")
			b.ReportMetric(float64(retained)/mib, "result-MiB")
			b.ReportMetric(float64(peak-min(peak, retained))/mib, "in-flight-MiB")
		})
	}
}
