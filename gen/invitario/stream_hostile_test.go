package invitario_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/httpx/httpxtest"
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
		ids = append(ids, g.ID)
	}
	assert.Equal(t, []string{"deep"}, ids)
	require.NoError(t, api.Close(t.Context()))
}

// trickleList answers the guest list with prefix at once, then writes each
// value received on next (flushed), and the closing suffix once next
// closes.
func trickleList(t *testing.T, prefix, suffix string, next <-chan string) string {
	t.Helper()
	fake, srv := startFake(t)
	done := make(chan struct{})
	t.Cleanup(func() { close(done) })
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/api/v1/guest/list/all" {
			fake.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, prefix)
		w.(http.Flusher).Flush()
		for {
			select {
			case s, ok := <-next:
				if !ok {
					_, _ = io.WriteString(w, suffix)
					return
				}
				_, _ = io.WriteString(w, s)
				w.(http.Flusher).Flush()
			case <-done:
				return
			}
		}
	})
	return srv.URL
}

func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// The per-call timeout does not cut off a guest list that keeps coming:
// here it takes four times the timeout, a guest every 59 seconds.
func TestLongGuestListOutlivesTheTimeout(t *testing.T) {
	timers := httpxtest.NewTimers()
	next := make(chan string)
	url := trickleList(t, `{"status":"success","guests":[`, `],"count":4}`, next)
	api := newAPI(t, url, demoCreds(), invitario.WithTimeout(time.Minute), invitario.WithAfterFunc(timers.AfterFunc))
	_, err := api.Login(t.Context())
	require.NoError(t, err)

	type item struct {
		id  string
		err error
	}
	items := make(chan item, 10)
	go func() {
		defer close(items)
		for g, err := range api.GuestsAll(t.Context(), nil) {
			items <- item{g.ID, err}
		}
	}()
	armed := 0
	for i, sep := range []string{"", ",", ",", ","} {
		// Wait for a read to wait (a timer newer than the last guest sent,
		// and no other), let 59 seconds pass, then send the next guest.
		require.NoError(t, timers.WaitFor(waitCtx(t), func(a, p int) bool { return a > armed && p == 1 }))
		timers.Advance(59 * time.Second)
		armed, _ = timers.State()
		next <- sep + `{"id":"g` + strconv.Itoa(i) + `"}`
	}
	close(next)
	var ids []string
	for it := range items {
		require.NoError(t, it.err)
		ids = append(ids, it.id)
	}
	assert.Equal(t, []string{"g0", "g1", "g2", "g3"}, ids)
	require.NoError(t, api.Close(t.Context()))
}

// A guest list that goes silent for the idle limit ends with an error
// after the guests that came.
func TestSilentGuestListEndsAtTheIdleLimit(t *testing.T) {
	timers := httpxtest.NewTimers()
	next := make(chan string)
	url := trickleList(t, `{"status":"success","guests":[{"id":"g0"},`, `]}`, next)
	api := newAPI(t, url, demoCreds(), invitario.WithTimeout(time.Minute), invitario.WithAfterFunc(timers.AfterFunc))
	_, err := api.Login(t.Context())
	require.NoError(t, err)

	errs := make(chan error, 1)
	gotFirst := make(chan struct{})
	var ids []string
	go func() {
		for g, err := range api.GuestsAll(t.Context(), nil) {
			if err != nil {
				errs <- err
				return
			}
			ids = append(ids, g.ID)
			if len(ids) == 1 {
				close(gotFirst)
			}
		}
		errs <- nil
	}()
	// Everything sent has been read; a read waiting now waits in vain.
	select {
	case <-gotFirst:
	case err := <-errs:
		t.Fatalf("the list ended before its first guest: %v", err)
	}
	require.NoError(t, timers.WaitFor(waitCtx(t), func(_, p int) bool { return p == 1 }))
	timers.Advance(time.Minute)
	err = <-errs
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	var idle *httpx.IdleError
	assert.ErrorAs(t, err, &idle)
	assert.Equal(t, []string{"g0"}, ids)
	close(next)
}

// A Retry-After beyond any cap (here too long even for a Duration) ends
// the retries at once: one request, and the rate-limit error carries the
// delay asked for.
func TestRetryAfterBeyondTheCapIsNotRetried(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Retry-After", "99999999999999999999")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	api := newAPI(t, srv.URL, demoCreds(), invitario.WithSleeper(func(ctx context.Context, _ time.Duration) error {
		return ctx.Err()
	}))
	_, err := api.Login(t.Context())
	require.ErrorIs(t, err, invitario.ErrRateLimited)
	var apiErr *invitario.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, httpx.MaxRetryAfterValue, apiErr.RetryAfter)
	assert.Equal(t, int32(1), hits.Load(), "no retry")
}
