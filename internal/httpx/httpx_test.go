package httpx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fakeSleep records waits instead of sleeping.
type fakeSleep struct{ waits []time.Duration }

func (f *fakeSleep) sleep(ctx context.Context, d time.Duration) error {
	f.waits = append(f.waits, d)
	return ctx.Err()
}

func newDoer(sl *fakeSleep, cfg Config) *Doer {
	cfg.Sleep = sl.sleep
	if cfg.Retry.Jitter == nil {
		cfg.Retry.Jitter = func() float64 { return 0.5 }
	}
	return New(cfg)
}

func post(t *testing.T, ctx context.Context, url, body string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	return req
}

// statusSequence answers with the given statuses in turn, then 200.
func statusSequence(t *testing.T, hits *atomic.Int32, bodies *[]string, statuses ...int) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := int(hits.Add(1))
		b, _ := io.ReadAll(r.Body)
		if bodies != nil {
			*bodies = append(*bodies, string(b))
		}
		if n <= len(statuses) {
			if statuses[n-1] == http.StatusTooManyRequests {
				w.Header().Set("Retry-After", "2")
			}
			w.WriteHeader(statuses[n-1])
			return
		}
		_, _ = io.WriteString(w, "ok")
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestSafeOperationRetriesAndResendsBody(t *testing.T) {
	var hits atomic.Int32
	var bodies []string
	srv := statusSequence(t, &hits, &bodies, 503, 429)
	sl := &fakeSleep{}
	var signed atomic.Int32
	d := newDoer(sl, Config{Final: []Editor{func(_ context.Context, r *http.Request) error {
		r.Header.Set("X-Attempt-Signature", string(rune('a'+signed.Add(1)-1)))
		return nil
	}}})
	ctx := WithOperation(t.Context(), "getEventList", true)
	resp, err := d.Do(post(t, ctx, srv.URL, `{"perPage":10}`))
	require.NoError(t, err)
	body, err := ReadBody(resp, 0)
	require.NoError(t, err)
	assert.Equal(t, "ok", string(body))
	assert.Equal(t, int32(3), hits.Load())
	assert.Equal(t, []string{`{"perPage":10}`, `{"perPage":10}`, `{"perPage":10}`}, bodies)
	assert.Equal(t, int32(3), signed.Load(), "the final editor runs on every attempt")
	require.Len(t, sl.waits, 2)
	assert.Equal(t, 125*time.Millisecond, sl.waits[0], "full jitter of the 250ms base")
	assert.Equal(t, 2*time.Second, sl.waits[1], "Retry-After honoured")
}

func TestUnsafeOperationIsSentOnce(t *testing.T) {
	var hits atomic.Int32
	srv := statusSequence(t, &hits, nil, 503, 503)
	d := newDoer(&fakeSleep{}, Config{})
	resp, err := d.Do(post(t, WithOperation(t.Context(), "inviteContacts", false), srv.URL, `{}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 503, resp.StatusCode)
	assert.Equal(t, int32(1), hits.Load())
}

func TestAttemptsAreBounded(t *testing.T) {
	var hits atomic.Int32
	srv := statusSequence(t, &hits, nil, 502, 502, 502, 502, 502)
	d := newDoer(&fakeSleep{}, Config{Retry: RetryPolicy{MaxAttempts: 4}})
	resp, err := d.Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, ``))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 502, resp.StatusCode)
	assert.Equal(t, int32(4), hits.Load())
}

func TestNoRetryOnOtherStatuses(t *testing.T) {
	for _, status := range []int{400, 401, 404, 500, 501} {
		var hits atomic.Int32
		srv := statusSequence(t, &hits, nil, status)
		resp, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, ``))
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, int32(1), hits.Load(), "status %d", status)
	}
}

func TestRetryAfterOverCapEndsRetries(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Retry-After", "3600")
		w.WriteHeader(429)
	}))
	defer srv.Close()
	sl := &fakeSleep{}
	resp, err := newDoer(sl, Config{}).Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, ``))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode)
	assert.Empty(t, sl.waits)
	ra, ok := RetryAfter(resp.Header, time.Now())
	assert.True(t, ok)
	assert.Equal(t, time.Hour, ra)
}

// A Retry-After of a year or more, or too long to represent, is still a
// request to wait longer than the cap: the call ends at once with the 429,
// its header intact, instead of retrying as if there were no header.
func TestRetryAfterFarOverCapEndsRetries(t *testing.T) {
	for _, v := range []string{"31536000", "31536001", "99999999999999999999", "Fri, 01 Jan 9999 00:00:00 GMT"} {
		var hits atomic.Int32
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			hits.Add(1)
			w.Header().Set("Retry-After", v)
			w.WriteHeader(429)
		}))
		sl := &fakeSleep{}
		resp, err := newDoer(sl, Config{}).Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, ``))
		require.NoError(t, err, v)
		resp.Body.Close()
		srv.Close()
		assert.Equal(t, 429, resp.StatusCode, v)
		assert.Equal(t, int32(1), hits.Load(), "Retry-After %s: no retry", v)
		assert.Empty(t, sl.waits, v)
		ra, ok := RetryAfter(resp.Header, time.Now())
		assert.True(t, ok, v)
		assert.Greater(t, ra, DefaultMaxRetryAfter, v)
	}
}

func TestRetryNeverWaitsPastDeadline(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Retry-After", "50") // under the cap, past the deadline
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer srv.Close()
	// The deadline leaves ample time for the first attempt on a loaded
	// machine; the wait the server asks for is longer still.
	ctx, cancel := context.WithTimeout(WithOperation(t.Context(), "getEvent", true), 20*time.Second)
	defer cancel()
	sl := &fakeSleep{}
	resp, err := newDoer(sl, Config{}).Do(post(t, ctx, srv.URL, ``))
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, 429, resp.StatusCode, "a 50s Retry-After does not fit in a 20s deadline")
	assert.Equal(t, int32(1), hits.Load())
	assert.Empty(t, sl.waits, "no wait at all")
}

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	for in, want := range map[string]time.Duration{
		"0":                             0,
		"17":                            17 * time.Second,
		"Wed, 25 Nov 2026 12:00:30 GMT": 30 * time.Second,
		"Wed, 25 Nov 2026 11:00:00 GMT": 0,
	} {
		h := http.Header{"Retry-After": {in}}
		got, ok := RetryAfter(h, now)
		assert.True(t, ok, in)
		assert.Equal(t, want, got, in)
	}
	for in, want := range map[string]time.Duration{
		"31536001":             31536001 * time.Second,
		"9223372036":           9223372036 * time.Second,
		"9223372037":           MaxRetryAfterValue,
		"99999999999999999999": MaxRetryAfterValue,
	} {
		got, ok := RetryAfter(http.Header{"Retry-After": {in}}, now)
		assert.True(t, ok, "a delay too long is still a delay: %s", in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "-1", "+5", "soon", "1.5", "1e9"} {
		_, ok := RetryAfter(http.Header{"Retry-After": {bad}}, now)
		assert.False(t, ok, bad)
	}
}

// resetAfterRead accepts the request, reads it, then drops the connection.
func resetAfterRead(t *testing.T, hits *atomic.Int32) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			hits.Add(1)
			buf := make([]byte, 4096)
			_, _ = c.Read(buf)
			if tc, ok := c.(*net.TCPConn); ok {
				_ = tc.SetLinger(0)
			}
			c.Close()
		}
	}()
	return "http://" + ln.Addr().String()
}

func TestConnectionLostAfterSendingUnsafeIsOutcomeUnknown(t *testing.T) {
	var hits atomic.Int32
	url := resetAfterRead(t, &hits)
	_, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, WithOperation(t.Context(), "inviteContacts", false), url, `{"event":1}`))
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	var ou *OutcomeUnknownError
	require.ErrorAs(t, err, &ou)
	assert.Equal(t, "inviteContacts", ou.Operation)
	assert.Equal(t, int32(1), hits.Load())
}

func TestConnectionLostSafeIsRetried(t *testing.T) {
	var hits atomic.Int32
	url := resetAfterRead(t, &hits)
	_, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, WithOperation(t.Context(), "getEvent", true), url, `{}`))
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int32(3), hits.Load())
}

func TestCrossHostRedirectRefused(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/x", http.StatusFound)
	}))
	defer srv.Close()
	_, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, `{}`))
	var re *RedirectError
	require.ErrorAs(t, err, &re)
	assert.Zero(t, reached.Load())
}

func TestSameHostRedirectFollowed(t *testing.T) {
	mux := http.NewServeMux()
	mux.HandleFunc("/a", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/b", http.StatusTemporaryRedirect) })
	mux.HandleFunc("/b", func(w http.ResponseWriter, r *http.Request) { b, _ := io.ReadAll(r.Body); _, _ = w.Write(b) })
	srv := httptest.NewServer(mux)
	defer srv.Close()
	resp, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, t.Context(), srv.URL+"/a", `body`))
	require.NoError(t, err)
	b, _ := ReadBody(resp, 0)
	assert.Equal(t, "body", string(b))
}

func TestTimeoutBoundsTheCall(t *testing.T) {
	// A transport that writes the request at once and never answers: the
	// timeout ends a call whose request was sent.
	silent := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if trace := httptrace.ContextClientTrace(r.Context()); trace != nil && trace.WroteRequest != nil {
			trace.WroteRequest(httptrace.WroteRequestInfo{})
		}
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	start := time.Now()
	_, err := newDoer(&fakeSleep{}, Config{Timeout: 50 * time.Millisecond, Transport: silent}).Do(post(t, WithOperation(t.Context(), "inviteContacts", false), "http://x.test", `{}`))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.ErrorIs(t, err, ErrOutcomeUnknown, "sent but unanswered")
	assert.Less(t, time.Since(start), 5*time.Second)
}

func TestReadBodyCap(t *testing.T) {
	resp := &http.Response{Body: io.NopCloser(bytes.NewReader(make([]byte, 11)))}
	_, err := ReadBody(resp, 10)
	var tl *TooLargeError
	require.ErrorAs(t, err, &tl)
	assert.Equal(t, int64(10), tl.Limit)
	resp = &http.Response{Body: io.NopCloser(bytes.NewReader(make([]byte, 10)))}
	b, err := ReadBody(resp, 10)
	require.NoError(t, err)
	assert.Len(t, b, 10)
}

func TestLoggerGetsOneRecordPerAttemptWithoutHeaders(t *testing.T) {
	var hits atomic.Int32
	srv := statusSequence(t, &hits, nil, 503)
	var buf bytes.Buffer
	logger := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	d := newDoer(&fakeSleep{}, Config{Logger: logger, Final: []Editor{func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer canary-token")
		return nil
	}}})
	resp, err := d.Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, `{"secret":"canary-body"}`))
	require.NoError(t, err)
	resp.Body.Close()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 2)
	assert.Contains(t, lines[0], `"operation":"getEvent"`)
	assert.Contains(t, lines[0], `"attempt":1`)
	assert.Contains(t, lines[0], `"status":503`)
	assert.Contains(t, lines[1], `"attempt":2`)
	assert.NotContains(t, buf.String(), "canary")
}

func TestCancelledContextStopsRetrying(t *testing.T) {
	var hits atomic.Int32
	srv := statusSequence(t, &hits, nil, 503, 503)
	ctx, cancel := context.WithCancel(WithOperation(t.Context(), "getEvent", true))
	sl := &fakeSleep{}
	d := newDoer(sl, Config{Sleep: nil})
	d.cfg.Sleep = func(ctx context.Context, d time.Duration) error { cancel(); return Sleep(ctx, d) }
	_, err := d.Do(post(t, ctx, srv.URL, ``))
	assert.True(t, errors.Is(err, context.Canceled))
	assert.Equal(t, int32(1), hits.Load())
}

// A connection error whose backoff would pass the deadline returns the
// error (it once dereferenced the missing response).
func TestConnectionErrorWithBackoffPastDeadline(t *testing.T) {
	var hits atomic.Int32
	url := resetAfterRead(t, &hits)
	ctx, cancel := context.WithTimeout(WithOperation(t.Context(), "getEvent", true), 30*time.Second)
	defer cancel()
	d := newDoer(&fakeSleep{}, Config{Retry: RetryPolicy{BaseDelay: time.Hour, MaxDelay: time.Hour}})
	d.retry.Jitter = func() float64 { return 0.99 }
	_, err := d.Do(post(t, ctx, url, `{}`))
	require.Error(t, err)
	assert.Equal(t, int32(1), hits.Load())
}

// A safe call's body is read within the attempt: a body cut short is
// retried, and the caller gets the whole answer.
func TestSafeCallRetriesABodyCutShort(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Content-Length", "100")
			_, _ = io.WriteString(w, "partial")
			return // the server closes with 93 bytes missing
		}
		_, _ = io.WriteString(w, "whole answer")
	}))
	defer srv.Close()
	resp, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, WithOperation(t.Context(), "getEvent", true), srv.URL, `{}`))
	require.NoError(t, err)
	b, err := ReadBody(resp, 0)
	require.NoError(t, err)
	assert.Equal(t, "whole answer", string(b))
	assert.Equal(t, int32(2), hits.Load())
}

// An unsafe call's body cut short leaves the outcome unknown.
func TestUnsafeCallBodyCutShortIsOutcomeUnknown(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Length", "100")
		_, _ = io.WriteString(w, "partial")
	}))
	defer srv.Close()
	resp, err := newDoer(&fakeSleep{}, Config{}).Do(post(t, WithOperation(t.Context(), "inviteContacts", false), srv.URL, `{}`))
	require.NoError(t, err)
	_, err = ReadBody(resp, 0)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int32(1), hits.Load())
}

func TestScrubRemovesCredentials(t *testing.T) {
	req, _ := http.NewRequest(http.MethodPost, "http://h.test/", nil)
	req.Header.Set("Authorization", "Basic dXNlcjpwYXNzd29yZA==")
	req.Header.Set("X-Api-Authorization", "IWS key:0123456789abcdef")
	page := "echo: Authorization: Basic dXNlcjpwYXNzd29yZA== X-Api-Authorization: IWS key:0123456789abcdef sig=0123456789abcdef pw=password"
	got := Scrub(page, req, "password")
	assert.NotContains(t, got, "dXNlcjpwYXNzd29yZA==")
	assert.NotContains(t, got, "0123456789abcdef")
	assert.NotContains(t, got, "password")
	assert.Contains(t, got, "[redacted]")
	assert.Equal(t, "nothing to hide", Scrub("nothing to hide", req))
}

// An ended context ends Sleep at once, even when the wait is also over:
// a retry or poll loop never goes round once more after its caller gave up.
func TestSleepEndsAtOnceForAnEndedContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	for range 100 {
		require.ErrorIs(t, Sleep(ctx, 0), context.Canceled)
	}
	require.ErrorIs(t, Sleep(ctx, time.Hour), context.Canceled)
	require.NoError(t, Sleep(t.Context(), time.Millisecond))
}
