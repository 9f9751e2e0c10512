package httpx

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/httpx/httpxtest"
)

// trickleServer answers with the header at once, then writes one chunk
// each time a value arrives on next, and ends the answer when next closes.
func trickleServer(t *testing.T, first string, next <-chan string) *httptest.Server {
	t.Helper()
	done := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		_, _ = io.WriteString(w, first)
		w.(http.Flusher).Flush()
		for {
			select {
			case s, ok := <-next:
				if !ok {
					return
				}
				_, _ = io.WriteString(w, s)
				w.(http.Flusher).Flush()
			case <-done:
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	t.Cleanup(func() { close(done) })
	return srv
}

// waitCtx bounds a wait on the timers, so that a broken implementation
// fails the test instead of hanging it. The result never depends on it.
func waitCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func streamDoer(timers *httpxtest.Timers, timeout time.Duration) *Doer {
	return newDoer(&fakeSleep{}, Config{Timeout: timeout, AfterFunc: timers.AfterFunc})
}

func streamGet(t *testing.T, url string) *http.Request {
	t.Helper()
	ctx := WithStreaming(WithOperation(t.Context(), "guestListAll", true))
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	require.NoError(t, err)
	return req
}

// A streamed answer that keeps sending bytes is read to its end however
// long it takes: here five gaps of 59 minutes under a one-hour timeout.
func TestStreamOutlivesTheTimeoutWhileBytesArrive(t *testing.T) {
	timers := httpxtest.NewTimers()
	next := make(chan string)
	srv := trickleServer(t, "a", next)
	resp, err := streamDoer(timers, time.Hour).Do(streamGet(t, srv.URL))
	require.NoError(t, err)
	defer resp.Body.Close()

	// Read the first chunk here, so that from now on the reader below only
	// ever waits for a chunk this test has not sent yet: each read timer it
	// starts belongs to a read that is waiting.
	first := make([]byte, 1)
	_, err = io.ReadFull(resp.Body, first)
	require.NoError(t, err)
	armed, pending := timers.State()
	require.Zero(t, pending, "the call's timer and the first read's are stopped")

	got := make(chan string, 1)
	readErr := make(chan error, 1)
	go func() {
		b, err := io.ReadAll(resp.Body)
		got <- string(first) + string(b)
		readErr <- err
	}()
	for _, chunk := range []string{"b", "c", "d", "e", "f"} {
		// Wait for a read to be waiting (a timer newer than the last
		// chunk, and no other), let 59 minutes pass, then send.
		require.NoError(t, timers.WaitFor(waitCtx(t), func(a, p int) bool { return a > armed && p == 1 }))
		timers.Advance(59 * time.Minute)
		armed, _ = timers.State()
		next <- chunk
	}
	close(next)
	require.NoError(t, <-readErr)
	assert.Equal(t, "abcdef", <-got)
}

// A streamed answer that goes silent for the idle limit fails the read
// with an IdleError, which matches context.DeadlineExceeded.
func TestStreamSilentForTheIdleLimitFails(t *testing.T) {
	timers := httpxtest.NewTimers()
	next := make(chan string)
	srv := trickleServer(t, "first", next)
	resp, err := streamDoer(timers, time.Minute).Do(streamGet(t, srv.URL))
	require.NoError(t, err)
	defer resp.Body.Close()
	b := make([]byte, len("first"))
	_, err = io.ReadFull(resp.Body, b)
	require.NoError(t, err)

	readErr := make(chan error, 1)
	go func() {
		_, err := resp.Body.Read(make([]byte, 10))
		readErr <- err
	}()
	require.NoError(t, timers.WaitFor(waitCtx(t), func(_, p int) bool { return p == 1 }))
	timers.Advance(time.Minute - time.Nanosecond)
	select {
	case err := <-readErr:
		t.Fatalf("the read ended before the idle limit: %v", err)
	default:
	}
	timers.Advance(time.Nanosecond)
	err = <-readErr
	var idle *IdleError
	require.ErrorAs(t, err, &idle)
	assert.Equal(t, time.Minute, idle.Limit)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "guestListAll")
	_, err = resp.Body.Read(make([]byte, 10))
	assert.ErrorAs(t, err, &idle, "a stream cut off stays cut off")
}

// A consumer that is slow to ask for more is not cut off: only the wait
// inside a read counts.
func TestStreamIdleLimitIgnoresTheConsumersPace(t *testing.T) {
	timers := httpxtest.NewTimers()
	next := make(chan string)
	srv := trickleServer(t, "ab", next)
	resp, err := streamDoer(timers, time.Minute).Do(streamGet(t, srv.URL))
	require.NoError(t, err)
	defer resp.Body.Close()
	b := make([]byte, 1)
	_, err = io.ReadFull(resp.Body, b)
	require.NoError(t, err)
	timers.Advance(time.Hour) // the consumer dawdles; no read is waiting
	_, err = io.ReadFull(resp.Body, b)
	require.NoError(t, err)
	assert.Equal(t, "b", string(b))
	close(next)
}

// Until its answer arrives, a streamed call is bounded by the timeout.
func TestStreamCallWithoutAnswerTimesOut(t *testing.T) {
	timers := httpxtest.NewTimers()
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(release)
	type result struct {
		resp *http.Response
		err  error
	}
	res := make(chan result, 1)
	go func() {
		resp, err := streamDoer(timers, time.Minute).Do(streamGet(t, srv.URL))
		res <- result{resp, err}
	}()
	require.NoError(t, timers.WaitFor(waitCtx(t), func(_, p int) bool { return p == 1 }))
	timers.Advance(time.Minute)
	r := <-res
	require.Error(t, r.err)
	assert.Nil(t, r.resp)
	assert.True(t, errors.Is(r.err, context.DeadlineExceeded), "%v", r.err)
	assert.Contains(t, r.err.Error(), "no answer within 1m0s")
}
