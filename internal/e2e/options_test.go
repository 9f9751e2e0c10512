package e2e

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/clientopt"
	"github.com/invitekit/invitekit/internal/httpx"
)

// commonOptions are the options every client package offers, as one value
// each driver turns into its own package's options.
type commonOptions struct {
	baseURL   string
	transport http.RoundTripper
	timeout   *time.Duration
	clock     func() time.Time
	sleeper   func(context.Context, time.Duration) error
	attempts  int
	backoff   [2]time.Duration
	maxBody   int64
	logger    *slog.Logger
	editor    func(context.Context, *http.Request) error
	userAgent string
}

// driver builds one package's client with the common options and makes one
// call that is safe to repeat.
type driver struct {
	name   string
	server func(t *testing.T) http.Handler
	call   func(t *testing.T, o commonOptions) error
}

var drivers = []driver{
	{
		name: "ivvy",
		server: func(t *testing.T) http.Handler {
			return ivvyfake.New(ivvyfake.WithKey(ivvyfake.DemoKey, ivvyfake.DemoSecret), ivvyfake.WithClock(optClock))
		},
		call: func(t *testing.T, o commonOptions) error {
			opts := optionSet[ivvy.Option]{
				baseURL: ivvy.WithBaseURL, transport: ivvy.WithTransport, timeout: ivvy.WithTimeout, clock: ivvy.WithClock,
				sleeper: ivvy.WithSleeper, attempts: ivvy.WithMaxAttempts, backoff: ivvy.WithBackoff,
				maxBody: ivvy.WithMaxResponseBytes, logger: ivvy.WithLogger, userAgent: ivvy.WithUserAgent,
				editor: func(fn func(context.Context, *http.Request) error) ivvy.Option { return ivvy.WithEditor(fn) },
			}.build(o)
			api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, opts...)
			if err != nil {
				return err
			}
			_, err = api.GetEventList(t.Context(), ivvy.GetEventListRequest{})
			return err
		},
	},
	{
		name: "alida",
		server: func(t *testing.T) http.Handler {
			return alidafake.Demo(alidafake.WithClock(optClock))
		},
		call: func(t *testing.T, o commonOptions) error {
			opts := optionSet[alida.Option]{
				baseURL: alida.WithBaseURL, transport: alida.WithTransport, timeout: alida.WithTimeout, clock: alida.WithClock,
				sleeper: alida.WithSleeper, attempts: alida.WithMaxAttempts, backoff: alida.WithBackoff,
				maxBody: alida.WithMaxResponseBytes, logger: alida.WithLogger, userAgent: alida.WithUserAgent,
				editor: func(fn func(context.Context, *http.Request) error) alida.Option { return alida.WithEditor(fn) },
			}.build(o)
			api, err := alida.New(alidafake.DemoCommunity, alida.BasicAuth(alidafake.DemoUsername, alidafake.DemoPassword), opts...)
			if err != nil {
				return err
			}
			for _, err := range api.Queued(t.Context(), time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), nil) {
				if err != nil {
					return err
				}
			}
			return nil
		},
	},
	{
		name: "invitario",
		server: func(t *testing.T) http.Handler {
			return invitariofake.Demo(invitariofake.WithClock(optClock))
		},
		call: func(t *testing.T, o commonOptions) error {
			opts := optionSet[invitario.Option]{
				baseURL: invitario.WithBaseURL, transport: invitario.WithTransport, timeout: invitario.WithTimeout, clock: invitario.WithClock,
				sleeper: invitario.WithSleeper, attempts: invitario.WithMaxAttempts, backoff: invitario.WithBackoff,
				maxBody: invitario.WithMaxResponseBytes, logger: invitario.WithLogger, userAgent: invitario.WithUserAgent,
				editor: func(fn func(context.Context, *http.Request) error) invitario.Option { return invitario.WithEditor(fn) },
			}.build(o)
			api, err := invitario.New(invitario.Credentials{EventID: invitariofake.DemoEventID,
				AppCode: invitariofake.DemoAppCode, Station: invitariofake.DemoStation}, opts...)
			if err != nil {
				return err
			}
			defer api.Close(context.WithoutCancel(t.Context()))
			_, err = api.Login(t.Context())
			return err
		},
	},
}

// optionSet holds one package's option constructors, so that every driver
// turns commonOptions into its options the same way.
type optionSet[O any] struct {
	baseURL   func(string) O
	transport func(http.RoundTripper) O
	timeout   func(time.Duration) O
	clock     func(func() time.Time) O
	sleeper   func(func(context.Context, time.Duration) error) O
	attempts  func(int) O
	backoff   func(base, max time.Duration) O
	maxBody   func(int64) O
	logger    func(*slog.Logger) O
	editor    func(func(context.Context, *http.Request) error) O
	userAgent func(string) O
}

// build returns the options o sets, and only those.
func (s optionSet[O]) build(o commonOptions) []O {
	var out []O
	add := func(set bool, opt func() O) {
		if set {
			out = append(out, opt())
		}
	}
	add(o.baseURL != "", func() O { return s.baseURL(o.baseURL) })
	add(o.transport != nil, func() O { return s.transport(o.transport) })
	add(o.timeout != nil, func() O { return s.timeout(*o.timeout) })
	add(o.clock != nil, func() O { return s.clock(o.clock) })
	add(o.sleeper != nil, func() O { return s.sleeper(o.sleeper) })
	add(o.attempts != 0, func() O { return s.attempts(o.attempts) })
	add(o.backoff[0] != 0, func() O { return s.backoff(o.backoff[0], o.backoff[1]) })
	add(o.maxBody != 0, func() O { return s.maxBody(o.maxBody) })
	add(o.logger != nil, func() O { return s.logger(o.logger) })
	add(o.editor != nil, func() O { return s.editor(o.editor) })
	add(o.userAgent != "", func() O { return s.userAgent(o.userAgent) })
	return out
}

// optClock is the fakes' clock and the one WithClock gives the clients: a
// fixed time, so signatures made with it are fresh to the fakes.
func optClock() time.Time { return time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC) }

// seen records what the transport saw of each request.
type seen struct {
	mu          sync.Mutex
	userAgents  []string
	headers     []http.Header
	hasDeadline []bool
	// budgets holds how long each request had left before its deadline
	// when it reached the transport (0 without one).
	budgets []time.Duration
	n       atomic.Int32
	rt      http.RoundTripper
}

func (s *seen) RoundTrip(req *http.Request) (*http.Response, error) {
	s.n.Add(1)
	deadline, ok := req.Context().Deadline()
	var budget time.Duration
	if ok {
		budget = time.Until(deadline)
	}
	s.mu.Lock()
	s.budgets = append(s.budgets, budget)
	s.userAgents = append(s.userAgents, req.Header.Get("User-Agent"))
	s.headers = append(s.headers, req.Header.Clone())
	s.hasDeadline = append(s.hasDeadline, ok)
	s.mu.Unlock()
	return s.rt.RoundTrip(req)
}

// failFirst answers the first n requests with status (and Retry-After), then
// hands the rest to h.
func failFirst(n int32, status int, retryAfter string, h http.Handler) http.Handler {
	var count atomic.Int32
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if count.Add(1) <= n {
			if retryAfter != "" {
				w.Header().Set("Retry-After", retryAfter)
			}
			w.WriteHeader(status)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// Every common option, run against all three packages, must have the same
// effect in each.
func TestOptionsMeanTheSameInEveryPackage(t *testing.T) {
	type env struct {
		url string
		rt  *seen
	}
	start := func(t *testing.T, h http.Handler) env {
		srv := httptest.NewServer(h)
		t.Cleanup(srv.Close)
		tr := newTransport(t)
		return env{url: srv.URL, rt: &seen{rt: tr}}
	}
	neg, zero, pos := -time.Second, time.Duration(0), time.Hour
	var sleeps atomic.Int32 // calls of the sleeper of the backoff case
	cases := []struct {
		name  string
		wrap  func(http.Handler) http.Handler
		opts  func(e env) commonOptions
		check func(t *testing.T, e env, err error)
	}{
		{
			name: "WithBaseURL and WithTransport carry every request",
			opts: func(e env) commonOptions { return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock} },
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				assert.Positive(t, e.rt.n.Load())
			},
		},
		{
			name: "a default User-Agent names the module and version",
			opts: func(e env) commonOptions { return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock} },
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				for _, ua := range e.rt.userAgents {
					assert.Equal(t, "invitekit/"+clientopt.Version(), ua)
				}
			},
		},
		{
			name: "WithUserAgent appends to it",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, userAgent: "myapp/1.2"}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				for _, ua := range e.rt.userAgents {
					assert.Equal(t, "invitekit/"+clientopt.Version()+" myapp/1.2", ua)
				}
			},
		},
		{
			name: "WithEditor runs on every request",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock,
					editor: func(_ context.Context, r *http.Request) error { r.Header.Set("X-Trace", "t-1"); return nil }}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				for _, h := range e.rt.headers {
					assert.Equal(t, "t-1", h.Get("X-Trace"))
				}
			},
		},
		{
			name: "an editor's error ends the call",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock,
					editor: func(context.Context, *http.Request) error { return errors.New("editor says no") }}
			},
			check: func(t *testing.T, e env, err error) {
				require.ErrorContains(t, err, "editor says no")
				assert.Zero(t, e.rt.n.Load())
			},
		},
		{
			name: "WithTimeout(0) keeps the default limit",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, timeout: &zero}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				assert.NotContains(t, e.rt.hasDeadline, false)
				for _, b := range e.rt.budgets {
					// The default is a minute, far below the hour of the next case.
					assert.True(t, b > httpx.DefaultTimeout/2 && b <= httpx.DefaultTimeout, "%v left", b)
				}
			},
		},
		{
			name: "WithTimeout(positive) sets a limit",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, timeout: &pos}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				assert.NotContains(t, e.rt.hasDeadline, false)
				for _, b := range e.rt.budgets {
					assert.True(t, b > pos-time.Minute && b <= pos, "%v left of %v", b, pos)
				}
			},
		},
		{
			name: "WithTimeout(negative) means no limit",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, timeout: &neg}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				assert.NotContains(t, e.rt.hasDeadline, true)
			},
		},
		{
			name: "WithMaxAttempts(1) tries a safe call once",
			wrap: func(h http.Handler) http.Handler { return failFirst(1, http.StatusServiceUnavailable, "0", h) },
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, attempts: 1}
			},
			check: func(t *testing.T, e env, err error) {
				require.Error(t, err)
				assert.EqualValues(t, 1, e.rt.n.Load())
			},
		},
		{
			name: "WithMaxAttempts(3), WithBackoff and WithSleeper: retried with the backoff",
			wrap: func(h http.Handler) http.Handler { return failFirst(2, http.StatusServiceUnavailable, "", h) },
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, attempts: 3,
					backoff: [2]time.Duration{time.Millisecond, 2 * time.Millisecond},
					sleeper: func(_ context.Context, d time.Duration) error {
						sleeps.Add(1)
						if d > 2*time.Millisecond {
							return errors.New("waited past the backoff's cap")
						}
						return nil
					}}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				assert.GreaterOrEqual(t, e.rt.n.Load(), int32(3))
				assert.EqualValues(t, 2, sleeps.Load(), "one wait before each retry, all through the sleeper")
			},
		},
		{
			name: "WithClock: a Retry-After date is read against the client's clock",
			wrap: func(h http.Handler) http.Handler {
				return failFirst(1, http.StatusTooManyRequests, optClock().Add(30*time.Second).Format(http.TimeFormat), h)
			},
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, attempts: 1}
			},
			check: func(t *testing.T, e env, err error) {
				d, ok := retryAfterOf(err)
				require.True(t, ok, "%v", err)
				assert.Equal(t, 30*time.Second, d)
			},
		},
		{
			name: "WithMaxResponseBytes caps an answer",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, maxBody: 8}
			},
			check: func(t *testing.T, e env, err error) {
				var tl *httpx.TooLargeError
				require.ErrorAs(t, err, &tl)
				assert.EqualValues(t, 8, tl.Limit)
			},
		},
		{
			name: "WithLogger gets one record per attempt",
			opts: func(e env) commonOptions {
				return commonOptions{baseURL: e.url, transport: e.rt, clock: optClock, logger: slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))}
			},
			check: func(t *testing.T, e env, err error) {
				require.NoError(t, err)
				assert.Equal(t, int(e.rt.n.Load()), strings.Count(logs.String(), "\n"), logs.String())
			},
		},
	}
	for _, d := range drivers {
		for _, c := range cases {
			t.Run(d.name+"/"+c.name, func(t *testing.T) {
				logs.Reset()
				sleeps.Store(0)
				h := d.server(t)
				if c.wrap != nil {
					h = c.wrap(h)
				}
				e := start(t, h)
				c.check(t, e, d.call(t, c.opts(e)))
			})
		}
	}
}

// logs collects WithLogger's records; the subtests above run one at a time.
var logs bytes.Buffer

// A base URL with a path, and a missing host, are refused by New in every
// package with the same words.
func TestOptionsCheckedByNew(t *testing.T) {
	for _, d := range drivers {
		t.Run(d.name, func(t *testing.T) {
			err := d.call(t, commonOptions{baseURL: "http://127.0.0.1:1/api"})
			assert.ErrorContains(t, err, "must have no path or query")
			err = d.call(t, commonOptions{baseURL: "ftp://example"})
			assert.ErrorContains(t, err, "is not an http(s)://host[:port] URL")
			err = d.call(t, commonOptions{})
			assert.ErrorIs(t, err, clientopt.ErrNoHost)
			err = d.call(t, commonOptions{baseURL: "http://127.0.0.1:1", attempts: -1})
			assert.ErrorContains(t, err, "WithMaxAttempts(-1)")
		})
	}
}
