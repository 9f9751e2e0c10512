package faults_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/invitekit/invitekit/internal/faults"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// body is what the wrapped handler answers: long enough to cut in half.
var body = strings.Repeat("0123456789", 10)

// server wraps a handler that counts its calls and answers body, and
// returns a client whose connections are closed at the end of the test.
func server(t *testing.T, plan faults.Plan) (*faults.Injector, *atomic.Int64, *http.Client, string) {
	t.Helper()
	var served atomic.Int64
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		served.Add(1)
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("X-Echo-Len", strings.Repeat("x", len(b)))
		_, _ = io.WriteString(w, body)
	})
	inj := faults.New(next, plan)
	srv := httptest.NewServer(inj)
	tr := &http.Transport{}
	t.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	return inj, &served, &http.Client{Transport: tr}, srv.URL
}

func post(t *testing.T, c *http.Client, url string) (*http.Response, []byte, error) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url+"/op?action=x", strings.NewReader("payload"))
	require.NoError(t, err)
	resp, err := c.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

func TestNoFaultPassesThrough(t *testing.T) {
	inj, served, c, url := server(t, nil)
	resp, b, err := post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, body, string(b))
	assert.EqualValues(t, 1, served.Load())
	arr := inj.Arrivals()
	require.Len(t, arr, 1)
	assert.Equal(t, faults.Arrival{N: 1, Method: "POST", Path: "/op", Query: "action=x"}, arr[0])
}

// A request is counted before its plan runs, so that whatever the plan sets
// off (a cancel that ends the call, say) finds it counted; its fault is
// filed with it once the plan has decided.
func TestArrivalCountedBeforeThePlanRuns(t *testing.T) {
	var inj *faults.Injector
	var seenByPlan []int
	plan := func(*http.Request) faults.Fault {
		seenByPlan = append(seenByPlan, inj.Count(nil))
		return faults.Fault{Kind: faults.Status, Status: http.StatusServiceUnavailable}
	}
	inj, _, c, url := server(t, plan)
	for range 2 {
		resp, _, err := post(t, c, url)
		require.NoError(t, err)
		assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	}
	assert.Equal(t, []int{1, 2}, seenByPlan)
	for _, a := range inj.Arrivals() {
		assert.Equal(t, faults.Status, a.Fault.Kind, "arrival %d", a.N)
	}
}

func TestResetBeforeResponse(t *testing.T) {
	_, served, c, url := server(t, faults.Always(faults.Fault{Kind: faults.ResetBeforeResponse}))
	for range 5 {
		_, _, err := post(t, c, url)
		require.Error(t, err, "the client must see a broken connection")
	}
	assert.EqualValues(t, 5, served.Load(), "the handler serves every request before the reset")
}

func TestDropDoesNotServe(t *testing.T) {
	inj, served, c, url := server(t, faults.Always(faults.Fault{Kind: faults.Drop}))
	_, _, err := post(t, c, url)
	require.Error(t, err)
	assert.Zero(t, served.Load())
	assert.Equal(t, 1, inj.Count(nil))
}

func TestPartialBodies(t *testing.T) {
	for _, kind := range []faults.Kind{faults.ResetAfterPartial, faults.TruncateBody} {
		for _, n := range []int{0, 7, 10_000} {
			t.Run(kind.String(), func(t *testing.T) {
				_, served, c, url := server(t, faults.Always(faults.Fault{Kind: kind, Bytes: n}))
				for range 5 {
					resp, b, err := post(t, c, url)
					require.NotNil(t, resp, "headers arrive whole")
					assert.Equal(t, http.StatusOK, resp.StatusCode)
					assert.Equal(t, strings.Repeat("x", len("payload")), resp.Header.Get("X-Echo-Len"), "the handler's headers are sent")
					assert.EqualValues(t, len(body), resp.ContentLength, "the full length is announced")
					require.Error(t, err, "the body must end early")
					want := len(body) / 2
					if n > 0 {
						want = min(n, len(body)-1)
					}
					if kind == faults.TruncateBody {
						assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
						assert.Equal(t, body[:want], string(b))
					} else {
						assert.True(t, strings.HasPrefix(body, string(b)) && len(b) <= want, "got %q", b)
					}
				}
				assert.EqualValues(t, 5, served.Load())
			})
		}
	}
}

func TestStatus(t *testing.T) {
	_, served, c, url := server(t, faults.Sequence(
		faults.Fault{Kind: faults.Status, Status: http.StatusTooManyRequests, RetryAfter: "7"},
		faults.Fault{Kind: faults.Status, Status: http.StatusInternalServerError, Body: `{"oops":1}`, ContentType: "application/json"},
		faults.Fault{Kind: faults.Status},
		faults.Fault{Kind: faults.Status, Status: http.StatusTemporaryRedirect, Location: "/elsewhere"},
	))
	resp, b, err := post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, "7", resp.Header.Get("Retry-After"))
	assert.Equal(t, "Too Many Requests\n", string(b))

	resp, b, err = post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	assert.Empty(t, resp.Header.Get("Retry-After"))
	assert.JSONEq(t, `{"oops":1}`, string(b))

	resp, _, err = post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "503 is the default status")

	resp, b, err = post(t, c, url)
	require.NoError(t, err, "the redirect is followed to the same host")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "/elsewhere", resp.Request.URL.Path)
	assert.Equal(t, body, string(b))
	assert.EqualValues(t, 1, served.Load(), "status faults never reach the handler; the redirected request does")

	resp, b, err = post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode, "after the sequence requests go through")
	assert.Equal(t, body, string(b))
	assert.EqualValues(t, 2, served.Load())
}

func TestDelayHeaders(t *testing.T) {
	const d = 50 * time.Millisecond
	_, served, c, url := server(t, faults.Always(faults.Fault{Kind: faults.DelayHeaders, Delay: d}))
	start := time.Now()
	_, b, err := post(t, c, url)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), d)
	assert.Equal(t, body, string(b))
	assert.EqualValues(t, 1, served.Load())
}

func TestDelayEndsWhenClientGivesUp(t *testing.T) {
	t.Parallel()
	_, served, c, url := server(t, faults.Always(faults.Fault{Kind: faults.DelayHeaders, Delay: time.Hour}))
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader("a body the server must read to see the client go"))
	require.NoError(t, err)
	start := time.Now()
	_, err = c.Do(req)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Less(t, time.Since(start), 20*time.Second)
	// The server's Close (in cleanup) waits for the handler: it must end
	// with the connection, not after an hour. goleak checks the rest.
	assert.Zero(t, served.Load())
}

func TestPlans(t *testing.T) {
	f := faults.Fault{Kind: faults.Drop}
	req := httptest.NewRequest(http.MethodGet, "/a", nil)
	other := httptest.NewRequest(http.MethodGet, "/b", nil)
	kinds := func(p faults.Plan, rs ...*http.Request) []faults.Kind {
		var out []faults.Kind
		for _, r := range rs {
			out = append(out, p(r).Kind)
		}
		return out
	}
	D, N := faults.Drop, faults.None
	assert.Equal(t, []faults.Kind{D, D, N, N}, kinds(faults.FirstN(2, f), req, req, req, req))
	assert.Equal(t, []faults.Kind{N, N, D, N, N, D}, kinds(faults.EveryNth(3, f), req, req, req, req, req, req))
	assert.Equal(t, []faults.Kind{D, D, D}, kinds(faults.Always(f), req, req, req))
	assert.Equal(t, []faults.Kind{D, faults.Status, N}, kinds(faults.Sequence(f, faults.Fault{Kind: faults.Status}), req, req, req))
	onlyA := faults.When(func(r *http.Request) bool { return r.URL.Path == "/a" }, faults.FirstN(1, f))
	assert.Equal(t, []faults.Kind{N, D, N, N}, kinds(onlyA, other, req, other, req), "When counts only matching requests")
	assert.Panics(t, func() { faults.EveryNth(0, f) })
}

func TestPlansAreSafeForConcurrentUse(t *testing.T) {
	p := faults.FirstN(50, faults.Fault{Kind: faults.Drop})
	var hits atomic.Int64
	var wg sync.WaitGroup
	req := httptest.NewRequest(http.MethodGet, "/", nil)
	for range 8 {
		wg.Go(func() {
			for range 25 {
				if p(req).Kind == faults.Drop {
					hits.Add(1)
				}
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 50, hits.Load())
}

func TestSetPlanAndReset(t *testing.T) {
	inj, _, c, url := server(t, faults.Always(faults.Fault{Kind: faults.Status, Status: 500}))
	resp, _, err := post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, 500, resp.StatusCode)
	inj.SetPlan(nil)
	resp, _, err = post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, inj.Count(func(a faults.Arrival) bool { return a.Fault.Kind == faults.Status }))
	assert.Equal(t, 2, inj.Count(nil))
	inj.Reset()
	assert.Empty(t, inj.Arrivals())
}

func TestFaultString(t *testing.T) {
	assert.Equal(t, "Status(429, Retry-After 2)", faults.Fault{Kind: faults.Status, Status: 429, RetryAfter: "2"}.String())
	assert.Equal(t, "Status(503)", faults.Fault{Kind: faults.Status}.String())
	assert.Equal(t, "Status(307, Location http://x/)", faults.Fault{Kind: faults.Status, Status: 307, Location: "http://x/"}.String())
	assert.Equal(t, "DelayHeaders(1s)", faults.Fault{Kind: faults.DelayHeaders, Delay: time.Second}.String())
	assert.Equal(t, "TruncateBody", faults.Fault{Kind: faults.TruncateBody}.String())
	assert.Equal(t, "Kind(99)", faults.Kind(99).String())
}

func TestUnknownKindIsAServerError(t *testing.T) {
	_, served, c, url := server(t, faults.Always(faults.Fault{Kind: faults.Kind(99)}))
	resp, b, err := post(t, c, url)
	require.NoError(t, err)
	assert.Equal(t, http.StatusInternalServerError, resp.StatusCode)
	assert.True(t, bytes.Contains(b, []byte("Kind(99)")))
	assert.Zero(t, served.Load())
}

// Each key has its own plan: requests of one client (here, one path) meet
// the same faults in the same order however the requests of other
// clients interleave with them.
func TestPerKeyPlansAreIndependent(t *testing.T) {
	made := 0
	plan := faults.PerKey(faults.ByPath, func() faults.Plan {
		made++
		return faults.Sequence(faults.Fault{Kind: faults.Status, Status: http.StatusServiceUnavailable})
	})
	req := func(path string) *http.Request {
		return httptest.NewRequest(http.MethodPost, path, nil)
	}
	// Interleaved: a, b, a, c, b, a.
	got := []faults.Kind{}
	for _, p := range []string{"/a?action=x", "/b", "/a?action=x", "/a?action=y", "/b", "/a?action=x"} {
		got = append(got, plan(req(p)).Kind)
	}
	assert.Equal(t, []faults.Kind{faults.Status, faults.Status, faults.None, faults.Status, faults.None, faults.None}, got)
	assert.Equal(t, 3, made, "one plan per method, path and query")

	nilPlans := faults.PerKey(faults.ByPath, func() faults.Plan { return nil })
	assert.Equal(t, faults.None, nilPlans(req("/a")).Kind)
	assert.Equal(t, "GET /x?y=1", faults.ByPath(httptest.NewRequest(http.MethodGet, "/x?y=1", nil)))
}

func TestPerKeyIsSafeForConcurrentUse(t *testing.T) {
	plan := faults.PerKey(func(r *http.Request) string { return r.Header.Get("X-Client") }, func() faults.Plan {
		return faults.EveryNth(2, faults.Fault{Kind: faults.Drop})
	})
	var wg sync.WaitGroup
	var drops [4]atomic.Int64
	for c := range 4 {
		wg.Go(func() {
			for range 100 {
				r := httptest.NewRequest(http.MethodPost, "/", nil)
				r.Header.Set("X-Client", string(rune('a'+c)))
				if plan(r).Kind == faults.Drop {
					drops[c].Add(1)
				}
			}
		})
	}
	wg.Wait()
	for c := range drops {
		assert.Equal(t, int64(50), drops[c].Load(), "every other request of client %d", c)
	}
}
