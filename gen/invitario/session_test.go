package invitario_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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

	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/specs"
)

// clock is a settable time source for the fake.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 3, 14, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// startFake serves a demo fake and fails the test if any request the client
// sent did not match the spec.
func startFake(t testing.TB, opts ...invitariofake.Option) (*invitariofake.Server, *httptest.Server) {
	t.Helper()
	fake := invitariofake.Demo(opts...)
	srv := httptest.NewServer(fake)
	t.Cleanup(func() {
		srv.Close()
		assert.Empty(t, fake.Violations(), "the client sent requests that do not match the spec")
	})
	return fake, srv
}

func demoCreds() invitario.Credentials {
	return invitario.Credentials{
		EventID: invitariofake.DemoEventID,
		AppCode: invitario.Secret(invitariofake.DemoAppCode),
		Station: invitariofake.DemoStation,
	}
}

func newAPI(t testing.TB, url string, creds invitario.Credentials, opts ...invitario.Option) *invitario.API {
	t.Helper()
	api, err := invitario.New(creds, append([]invitario.Option{invitario.WithBaseURL(url)}, opts...)...)
	require.NoError(t, err)
	return api
}

func countGuests(api *invitario.API, t testing.TB) (int, error) {
	n := 0
	for _, err := range api.GuestsAll(t.Context(), nil) {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func TestNewChecksSettings(t *testing.T) {
	_, err := invitario.New(demoCreds())
	require.ErrorContains(t, err, "WithBaseURL")
	_, err = invitario.New(invitario.Credentials{EventID: "1", Station: "x"}, invitario.WithBaseURL("http://127.0.0.1:1"))
	require.ErrorContains(t, err, "app code")
	_, err = invitario.New(invitario.Credentials{AppCode: "x"}, invitario.WithBaseURL("http://127.0.0.1:1"))
	require.ErrorContains(t, err, "event id")
	_, err = invitario.New(demoCreds(), invitario.WithBaseURL("http://127.0.0.1:1/api"))
	require.ErrorContains(t, err, "must have no path")
	_, err = invitario.New(demoCreds(), invitario.WithBaseURL("http://127.0.0.1:1"), invitario.WithSyncOverlap(-time.Second))
	require.Error(t, err)
}

func TestLoginDescribesSession(t *testing.T) {
	fake, srv := startFake(t)
	api := newAPI(t, srv.URL, demoCreds())
	s, err := api.Login(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "1001", s.Event.ID)
	assert.Equal(t, "Invitekit Demo Gala", s.Event.Name)
	assert.Equal(t, invitariofake.DemoStation, s.StationName)
	_, err = api.Login(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 1, fake.Logins(), "a second Login reuses the session")
	require.NoError(t, api.Close(t.Context()))
}

func TestConcurrentCallsShareOneLogin(t *testing.T) {
	fake, srv := startFake(t)
	// A slow login makes sure the callers really overlap.
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/login" {
			time.Sleep(50 * time.Millisecond)
		}
		fake.ServeHTTP(w, r)
	})
	srv.Config.Handler = slow
	api := newAPI(t, srv.URL, demoCreds())

	const callers = 50
	var wg sync.WaitGroup
	counts := make([]int, callers)
	errs := make([]error, callers)
	start := make(chan struct{})
	for i := range callers {
		wg.Go(func() {
			<-start
			counts[i], errs[i] = countGuests(api, t)
		})
	}
	close(start)
	wg.Wait()
	for i := range callers {
		require.NoError(t, errs[i])
		assert.Equal(t, len(invitariofake.DemoGuests), counts[i])
	}
	assert.Equal(t, 1, fake.Logins())
	assert.Equal(t, callers, fake.Calls("guestListAll"))
	require.NoError(t, api.Close(t.Context()))
	assert.Equal(t, 1, fake.Logouts())
	assert.Zero(t, fake.Sessions())
}

// heldRequest is a guest list request held by a gate until released.
type heldRequest struct{ release chan struct{} }

// gate holds guest list requests that carry the token it is armed with,
// and reports the first one that carries another.
type gate struct {
	next  http.Handler
	mu    sync.Mutex
	stale string // the token whose requests are held; "" holds none
	seen  string // the token of the last guest list request
	held  chan heldRequest
	fresh chan struct{} // closed by the first request with another token
	once  sync.Once
}

func (g *gate) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, "/api/v1/guest/") {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		var in struct {
			SessionToken string `json:"sessionToken"`
		}
		_ = json.Unmarshal(body, &in)
		g.mu.Lock()
		g.seen = in.SessionToken
		stale := g.stale
		g.mu.Unlock()
		switch {
		case stale != "" && in.SessionToken == stale:
			h := heldRequest{release: make(chan struct{})}
			g.held <- h
			<-h.release
		case stale != "":
			g.once.Do(func() { close(g.fresh) })
		}
	}
	g.next.ServeHTTP(w, r)
}

// Twenty callers whose shared token expired cost one new login between
// them. The order is forced: all twenty send the expired token; one refusal
// is let through and its caller logs in again and uses the new token; only
// then are the other nineteen refusals let through. Invalidation that
// forgot the new token for those late refusals would cost more logins.
func TestExpiredTokenCostsOneRelogin(t *testing.T) {
	for _, httpErrors := range []bool{false, true} {
		t.Run(fmt.Sprintf("httpErrors=%v", httpErrors), func(t *testing.T) {
			clk := newClock()
			fake := invitariofake.Demo(invitariofake.WithClock(clk.Now),
				invitariofake.WithIdleTimeout(time.Hour), invitariofake.WithHTTPErrors(httpErrors))
			g := &gate{next: fake, held: make(chan heldRequest), fresh: make(chan struct{})}
			srv := httptest.NewServer(g)
			t.Cleanup(srv.Close)
			api := newAPI(t, srv.URL, demoCreds())
			n, err := countGuests(api, t)
			require.NoError(t, err)
			require.Equal(t, len(invitariofake.DemoGuests), n)
			require.Equal(t, 1, fake.Logins())

			clk.Advance(59 * time.Minute) // still valid; use renews it
			_, err = countGuests(api, t)
			require.NoError(t, err)
			require.Equal(t, 1, fake.Logins())

			clk.Advance(61 * time.Minute) // now idle too long
			g.mu.Lock()
			g.stale = g.seen
			g.mu.Unlock()
			const callers = 20
			var wg sync.WaitGroup
			errs := make(chan error, callers)
			for range callers {
				wg.Go(func() {
					n, err := countGuests(api, t)
					if err == nil && n != len(invitariofake.DemoGuests) {
						err = fmt.Errorf("got %d guests", n)
					}
					errs <- err
				})
			}
			held := make([]heldRequest, 0, callers)
			for range callers {
				held = append(held, <-g.held)
			}
			close(held[0].release)
			<-g.fresh // the first caller logged in again and uses the new token
			assert.Equal(t, 2, fake.Logins())
			for _, h := range held[1:] {
				close(h.release)
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			assert.Equal(t, 2, fake.Logins(), "one re-login for all callers")
			require.NoError(t, api.Close(t.Context()))
			assert.Equal(t, 1, fake.Logouts())
		})
	}
}

// blockingLogin serves the demo fake, holding the first login until
// release is closed (or its client hangs up).
func blockingLogin(t *testing.T) (fake *invitariofake.Server, srv *httptest.Server, arrived <-chan struct{}, release chan struct{}) {
	t.Helper()
	fake = invitariofake.Demo()
	arr := make(chan struct{})
	release = make(chan struct{})
	var n atomic.Int64
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/login") && n.Add(1) == 1 {
			close(arr)
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
		srv.Close()
	})
	return fake, srv, arr, release
}

// wait fails the test when ch yields nothing in a long while: it turns a
// hang (the failure tested for) into a failure; a correct client answers
// at once.
func wait[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer", what)
		panic("unreachable")
	}
}

// A caller waiting for a login another caller started gives up when its
// own context ends; the login goes on for the other caller.
func TestLoginWaitEndsWithCallerContext(t *testing.T) {
	fake, srv, arrived, release := blockingLogin(t)
	api := newAPI(t, srv.URL, demoCreds())
	first := make(chan error, 1)
	go func() {
		_, err := countGuests(api, t)
		first <- err
	}()
	wait(t, arrived, "the login")

	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	second := make(chan error, 1)
	go func() {
		for _, err := range api.GuestsAll(ctx, nil) {
			second <- err
			return
		}
		second <- nil
	}()
	require.ErrorIs(t, wait(t, second, "the cancelled caller, while the login is stalled"), context.Canceled)

	close(release)
	require.NoError(t, wait(t, first, "the first caller"))
	assert.Equal(t, 1, fake.Logins())
}

// When the only caller waiting for a login gives up, the login is
// cancelled, and the next caller logs in afresh instead of inheriting the
// cancelled login's error.
func TestAbandonedLoginDoesNotFailNextCall(t *testing.T) {
	fake, srv, arrived, _ := blockingLogin(t)
	api := newAPI(t, srv.URL, demoCreds())
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := api.Login(ctx)
		done <- err
	}()
	wait(t, arrived, "the login")
	cancel()
	require.ErrorIs(t, wait(t, done, "the cancelled login"), context.Canceled)
	_, err := countGuests(api, t)
	require.NoError(t, err)
	assert.Equal(t, 1, fake.Logins(), "the abandoned login never completed")
}

func TestSessionErrorTwiceIsReturned(t *testing.T) {
	fake, srv := startFake(t)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v1/guest/") {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"error","displayMessage":null,"errors":[{"code":30,"message":"Invalid session token provided."}]}`))
			return
		}
		fake.ServeHTTP(w, r)
	})
	api := newAPI(t, srv.URL, demoCreds())
	_, err := countGuests(api, t)
	require.ErrorIs(t, err, invitario.ErrSessionExpired)
	var apiErr *invitario.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "guestListAll", apiErr.Operation)
	assert.Equal(t, http.StatusOK, apiErr.StatusCode)
	assert.Equal(t, invitario.CodeInvalidSession, apiErr.Code())
	assert.Equal(t, 2, fake.Logins(), "exactly one re-login, then the error")
	require.NoError(t, api.Close(t.Context()))
	// The second session is still open on the server and is logged out.
	assert.Equal(t, 1, fake.Logouts())
}

func TestCloseLogsOutOnce(t *testing.T) {
	t.Run("after use", func(t *testing.T) {
		fake, srv := startFake(t)
		api := newAPI(t, srv.URL, demoCreds())
		_, err := countGuests(api, t)
		require.NoError(t, err)
		require.NoError(t, api.Close(t.Context()))
		require.NoError(t, api.Close(t.Context()))
		assert.Equal(t, 1, fake.Logouts())
		assert.Equal(t, 1, fake.Calls("logout"))
		_, err = countGuests(api, t)
		require.ErrorIs(t, err, invitario.ErrClosed)
		_, err = api.Login(t.Context())
		require.ErrorIs(t, err, invitario.ErrClosed)
		assert.Equal(t, 1, fake.Logins())
	})
	t.Run("never used", func(t *testing.T) {
		fake, srv := startFake(t)
		api := newAPI(t, srv.URL, demoCreds())
		require.NoError(t, api.Close(t.Context()))
		assert.Zero(t, fake.Calls("logout"))
		assert.Zero(t, fake.Logins())
	})
	t.Run("after errors", func(t *testing.T) {
		fake, srv := startFake(t)
		var fail atomic.Bool
		srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if fail.Load() && r.URL.Path == "/api/v1/guest/list/all" {
				http.Error(w, "<html>Internal Server Error</html>", http.StatusInternalServerError)
				return
			}
			fake.ServeHTTP(w, r)
		})
		api := newAPI(t, srv.URL, demoCreds())
		_, err := api.Login(t.Context())
		require.NoError(t, err)
		fail.Store(true)
		for range 3 {
			_, err = countGuests(api, t)
			require.Error(t, err)
		}
		var wg sync.WaitGroup
		for range 10 {
			wg.Go(func() { assert.NoError(t, api.Close(t.Context())) })
		}
		wg.Wait()
		assert.Equal(t, 1, fake.Calls("logout"))
		assert.Equal(t, 1, fake.Logouts())
		assert.Zero(t, fake.Sessions())
	})
	t.Run("session already gone", func(t *testing.T) {
		fake, srv := startFake(t)
		api := newAPI(t, srv.URL, demoCreds())
		_, err := api.Login(t.Context())
		require.NoError(t, err)
		fake.ExpireSessions()
		require.NoError(t, api.Close(t.Context()), "an expired session needs no logout")
		assert.Equal(t, 1, fake.Calls("logout"))
		assert.Zero(t, fake.Logouts())
	})
}

func TestLoginFailures(t *testing.T) {
	for _, httpErrors := range []bool{false, true} {
		_, srv := startFake(t, invitariofake.WithHTTPErrors(httpErrors))
		cases := []struct {
			name   string
			creds  invitario.Credentials
			code   int
			target error
			msg    string
		}{
			{"unknown event", invitario.Credentials{EventID: "999", AppCode: "s3cret-code", Station: "x"},
				invitario.CodeUnknownEvent, invitario.ErrUnknownEvent, "Event ID not known."},
			{"wrong app code", invitario.Credentials{EventID: "1001", AppCode: "s3cret-code", Station: "x"},
				invitario.CodeInvalidAppCode, invitario.ErrInvalidAppCode, "API key incorrect."},
		}
		for _, c := range cases {
			t.Run(fmt.Sprintf("%s/httpErrors=%v", c.name, httpErrors), func(t *testing.T) {
				api := newAPI(t, srv.URL, c.creds)
				_, err := countGuests(api, t)
				require.ErrorIs(t, err, c.target)
				require.ErrorIs(t, err, invitario.ErrUnauthorized)
				require.NotErrorIs(t, err, invitario.ErrSessionExpired)
				var apiErr *invitario.APIError
				require.ErrorAs(t, err, &apiErr)
				assert.Equal(t, "login", apiErr.Operation)
				assert.Equal(t, c.code, apiErr.Code())
				assert.Contains(t, err.Error(), c.msg)
				assert.NotContains(t, err.Error(), "s3cret-code")
				require.NoError(t, api.Close(t.Context()))
			})
		}
	}
}

func TestNonJSONAnswers(t *testing.T) {
	page := "<html><body>" + strings.Repeat("Bad gateway ", 100) + "</body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if r.URL.Path == "/api/v1/login" {
			w.WriteHeader(http.StatusBadGateway)
		}
		_, _ = w.Write([]byte(page))
	}))
	defer srv.Close()
	api := newAPI(t, srv.URL, demoCreds())
	_, err := api.Login(t.Context())
	var apiErr *invitario.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadGateway, apiErr.StatusCode)
	assert.LessOrEqual(t, len(apiErr.Excerpt), 200)
	assert.Contains(t, err.Error(), "HTTP 502")
}

func TestNonJSONListAnswer(t *testing.T) {
	fake, srv := startFake(t)
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/guest/list/all" {
			_, _ = w.Write([]byte("<html>maintenance</html>"))
			return
		}
		fake.ServeHTTP(w, r)
	})
	api := newAPI(t, srv.URL, demoCreds())
	_, err := countGuests(api, t)
	var apiErr *invitario.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Excerpt, "maintenance")
	require.NoError(t, api.Close(t.Context()))
}

func TestSecretsStayHidden(t *testing.T) {
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	fake, srv := startFake(t)
	var token atomic.Value
	srv.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		fake.ServeHTTP(rec, r)
		var res struct{ SessionToken string }
		if json.Unmarshal(rec.Body.Bytes(), &res) == nil && res.SessionToken != "" {
			token.Store(res.SessionToken)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(rec.Code)
		_, _ = w.Write(rec.Body.Bytes())
	})
	creds := demoCreds()
	api := newAPI(t, srv.URL, creds, invitario.WithLogger(logger))
	_, err := countGuests(api, t)
	require.NoError(t, err)
	tok, _ := token.Load().(string)
	require.NotEmpty(t, tok)

	logger.Info("creds", "creds", creds, "app", creds.AppCode)
	printed := fmt.Sprintf("%v %+v %#v %s", creds, creds, creds, creds.AppCode)
	encoded, err := json.Marshal(creds)
	require.NoError(t, err)
	for _, out := range []string{logs.String(), printed, string(encoded)} {
		assert.NotContains(t, out, invitariofake.DemoAppCode)
		assert.NotContains(t, out, tok)
	}
	assert.Contains(t, printed, "[redacted]")
	require.NoError(t, api.Close(t.Context()))
}

func TestStreamStopsEarly(t *testing.T) {
	fake, srv := startFake(t)
	api := newAPI(t, srv.URL, demoCreds())
	var seen []string
	for g, err := range api.GuestsAll(t.Context(), nil) {
		require.NoError(t, err)
		seen = append(seen, g.ID)
		if len(seen) == 3 {
			break
		}
	}
	assert.Len(t, seen, 3)
	// The session is still usable after a stream was abandoned.
	n, err := countGuests(api, t)
	require.NoError(t, err)
	assert.Equal(t, len(invitariofake.DemoGuests), n)
	require.NoError(t, api.Close(t.Context()))
	assert.Equal(t, 1, fake.Logins())
}

func TestGuestsDecodeFully(t *testing.T) {
	_, srv := startFake(t)
	api := newAPI(t, srv.URL, demoCreds())
	var info invitario.ListInfo
	byEmail := map[string]invitario.Guest{}
	for g, err := range api.GuestsAll(t.Context(), &info) {
		require.NoError(t, err)
		byEmail[g.Fields.Text("email")] = g
	}
	assert.Equal(t, len(invitariofake.DemoGuests), info.Count)
	assert.False(t, info.DateTime.IsZero())
	alice := byEmail["alice@example.com"]
	assert.Equal(t, "Alice", alice.Fields.Text("firstName"))
	assert.NotNil(t, alice.CheckInDateTime)
	assert.Nil(t, byEmail["bob@example.com"].CheckInDateTime)
	ted := byEmail["ted@example.com"]
	require.NotNil(t, ted.ParentID)
	assert.Equal(t, byEmail["bob@example.com"].ID, ted.ParentID)
	require.Len(t, byEmail["bob@example.com"].Companions, 1)
	assert.Equal(t, ted.ID, byEmail["bob@example.com"].Companions[0].ID)
	assert.True(t, ted.Fields["company"].IsNull())
	require.NoError(t, api.Close(t.Context()))
}

func TestAPIErrorIs(t *testing.T) {
	e := &invitario.APIError{Operation: "guestListAll", StatusCode: 429}
	assert.ErrorIs(t, e, invitario.ErrRateLimited)
	assert.NotErrorIs(t, e, invitario.ErrNotFound)
	e = &invitario.APIError{Operation: "guestListAll", StatusCode: 404}
	assert.ErrorIs(t, e, invitario.ErrNotFound)
	e = &invitario.APIError{Operation: "x", StatusCode: 400, Errors: []invitario.ErrorItem{{Code: 10, Message: "Invalid JSON provided."}, {Code: 20, Message: "Required parameter(s) missing: sessionToken"}}}
	assert.ErrorIs(t, e, invitario.ErrInvalidJSON)
	assert.ErrorIs(t, e, invitario.ErrMissingParameter)
	assert.NotErrorIs(t, e, invitario.ErrUnauthorized)
	assert.Equal(t, "invitario x: Invalid JSON provided. (code 10); Required parameter(s) missing: sessionToken (code 20)", e.Error())
	e = &invitario.APIError{Operation: "x", StatusCode: 401, Errors: []invitario.ErrorItem{{Code: 30}}}
	assert.NotErrorIs(t, e, invitario.ErrUnauthorized, "a session error is not a credential error")
	assert.ErrorIs(t, e, invitario.ErrSessionExpired)
	assert.False(t, errors.Is(e, invitario.ErrClosed))
}

// recorder notes the operation each request was tagged with.
type recorder struct {
	mu  sync.Mutex
	ops map[string]httpx.Operation
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	op, _ := httpx.OperationFrom(req.Context())
	r.mu.Lock()
	r.ops[req.URL.Path] = op
	r.mu.Unlock()
	return http.DefaultTransport.RoundTrip(req)
}

func TestOperationsAreTagged(t *testing.T) {
	_, srv := startFake(t)
	rec := &recorder{ops: map[string]httpx.Operation{}}
	api := newAPI(t, srv.URL, demoCreds(), invitario.WithTransport(rec))
	_, err := countGuests(api, t)
	require.NoError(t, err)
	for _, err := range api.GuestsRecent(t.Context(), time.Now().Add(-time.Hour), nil) {
		require.NoError(t, err)
	}
	require.NoError(t, api.Close(t.Context()))

	doc, err := specs.Load(specs.Invitario)
	require.NoError(t, err)
	safe := oas.RetrySafe(doc)
	require.Len(t, rec.ops, 4)
	for path, op := range rec.ops {
		item := doc.Paths.Find(path)
		require.NotNil(t, item, path)
		assert.Equal(t, item.Post.OperationID, op.ID, path)
		assert.Equal(t, safe[op.ID], op.Safe, "%s: retry safety differs from the spec", path)
	}
	assert.False(t, rec.ops["/api/v1/logout"].Safe)
}
