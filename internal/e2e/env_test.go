package e2e

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	ivvyfake "github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/faults"
)

// Every test closes its servers and its transports' idle connections, so
// nothing of the HTTP machinery may outlive the tests.
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The faults the tests inject. Status faults carry "Retry-After: 0" where
// the client would otherwise back off for real (Alida and Invitario have no
// option to shorten the backoff).
var (
	fReset    = faults.Fault{Kind: faults.ResetBeforeResponse}
	fDrop     = faults.Fault{Kind: faults.Drop}
	fPartial  = faults.Fault{Kind: faults.ResetAfterPartial}
	fTruncate = faults.Fault{Kind: faults.TruncateBody}
	f503      = faults.Fault{Kind: faults.Status, Status: http.StatusServiceUnavailable, RetryAfter: "0"}
	f502      = faults.Fault{Kind: faults.Status, Status: http.StatusBadGateway, RetryAfter: "0"}
	f504      = faults.Fault{Kind: faults.Status, Status: http.StatusGatewayTimeout, RetryAfter: "0"}
	f429      = faults.Fault{Kind: faults.Status, Status: http.StatusTooManyRequests, RetryAfter: "0"}
	f500      = faults.Fault{Kind: faults.Status, Status: http.StatusInternalServerError}
	fSlow     = faults.Fault{Kind: faults.DelayHeaders, Delay: 20 * time.Millisecond}
	// fHang delays the answer past any timeout a test sets; the handler
	// gives up when the client does.
	fHang = faults.Fault{Kind: faults.DelayHeaders, Delay: time.Hour}
)

// retryableFaults are answered by retrying a safe operation.
var retryableFaults = []faults.Fault{fReset, fDrop, f503, f502, f504, f429}

// bodyFaults break the connection while the answer's body is read.
var bodyFaults = []faults.Fault{fPartial, fTruncate}

// newTransport returns a transport of the test's own, whose idle
// connections are closed when the test ends.
func newTransport(t *testing.T) *http.Transport {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	return tr
}

// serve starts an HTTP/1.1 test server on 127.0.0.1 and closes it when the
// test ends.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// action matches iVvy requests for one action.
func action(name string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.URL.Query().Get("action") == name }
}

// path matches requests for one path.
func path(p string) func(*http.Request) bool {
	return func(r *http.Request) bool { return r.URL.Path == p }
}

// pathSuffix matches requests whose path ends with suffix.
func pathSuffix(suffix string) func(*http.Request) bool {
	return func(r *http.Request) bool { return strings.HasSuffix(r.URL.Path, suffix) }
}

// arrived adapts a request matcher to the injector's record of arrivals.
func arrived(match func(*http.Request) bool) func(faults.Arrival) bool {
	return func(a faults.Arrival) bool {
		u := &url.URL{Path: a.Path, RawQuery: a.Query}
		return match(&http.Request{Method: a.Method, URL: u})
	}
}

// ---- iVvy ----

type ivvyEnv struct {
	api  *ivvy.API
	fake *ivvyfake.Server
	inj  *faults.Injector
	url  string
}

// newIvvy serves the demo iVvy fake behind an injector with plan, and
// returns a client with three attempts and a backoff of a millisecond or
// two. opts come last and win.
func newIvvy(t *testing.T, plan faults.Plan, opts ...ivvy.Option) *ivvyEnv {
	t.Helper()
	fk := ivvyfake.Demo()
	inj := faults.New(fk, plan)
	u := serve(t, inj)
	api, err := ivvy.New(ivvyfake.DemoKey, ivvyfake.DemoSecret, append([]ivvy.Option{
		ivvy.WithBaseURL(u),
		ivvy.WithTransport(newTransport(t)),
		ivvy.WithMaxAttempts(3),
		ivvy.WithBackoff(time.Millisecond, 2*time.Millisecond),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &ivvyEnv{api: api, fake: fk, inj: inj, url: u}
}

// ---- Alida ----

type alidaEnv struct {
	api  *alida.API
	fake *alidafake.Server
	inj  *faults.Injector
	url  string
}

// alidaBasic authenticates with the demo user.
var alidaBasic = alida.BasicAuth(alidafake.DemoUsername, alidafake.DemoPassword)

// newAlida serves the demo Alida fake behind an injector with plan.
func newAlida(t *testing.T, plan faults.Plan, auth alida.Auth, opts ...alida.Option) *alidaEnv {
	t.Helper()
	fk := alidafake.Demo()
	inj := faults.New(fk, plan)
	u := serve(t, inj)
	api, err := alida.New(alidafake.DemoCommunity, auth, append([]alida.Option{
		alida.WithBaseURL(u),
		alida.WithTransport(newTransport(t)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return &alidaEnv{api: api, fake: fk, inj: inj, url: u}
}

// ---- Invitario ----

type invitarioEnv struct {
	api  *invitario.API
	fake *invitariofake.Server
	inj  *faults.Injector
	url  string
}

// invitarioDemo are the demo event's credentials.
var invitarioDemo = invitario.Credentials{
	EventID: invitariofake.DemoEventID,
	AppCode: invitario.Secret(invitariofake.DemoAppCode),
	Station: invitariofake.DemoStation,
}

// newInvitario serves the demo Invitario fake behind an injector with plan.
// The session is closed when the test ends.
func newInvitario(t *testing.T, plan faults.Plan, opts ...invitario.Option) *invitarioEnv {
	t.Helper()
	fk := invitariofake.Demo()
	inj := faults.New(fk, plan)
	u := serve(t, inj)
	api, err := invitario.New(invitarioDemo, append([]invitario.Option{
		invitario.WithBaseURL(u),
		invitario.WithTransport(newTransport(t)),
	}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = api.Close(context.Background()) })
	return &invitarioEnv{api: api, fake: fk, inj: inj, url: u}
}

// ---- errors ----

// retryAfterOf returns the RetryAfter of the *APIError (of any of the
// three packages) in err's chain; ok is false when there is none.
func retryAfterOf(err error) (time.Duration, bool) {
	var ie *ivvy.APIError
	var ae *alida.APIError
	var ne *invitario.APIError
	switch {
	case errors.As(err, &ie):
		return ie.RetryAfter, true
	case errors.As(err, &ae):
		return ae.RetryAfter, true
	case errors.As(err, &ne):
		return ne.RetryAfter, true
	}
	return 0, false
}
