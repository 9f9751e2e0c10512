package alida

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/record"
)

// DefaultChunkSize is how many events one POST carries at most.
const DefaultChunkSize = 500

// MaxPageSize is the largest page the queued list serves.
const MaxPageSize = 1000

// API is the Alida Community API client for one community. It is safe for
// concurrent use.
type API struct {
	doer      *httpx.Doer
	auth      authenticator
	community string
	base      *url.URL
	chunkSize int
	pageSize  int
	return201 bool
	maxBody   int64
	editors   []RequestEditorFn
}

// Option configures New.
type Option func(*settings)

type settings struct {
	endpoint       string
	region         string
	transport      http.RoundTripper
	timeout        time.Duration
	editors        []RequestEditorFn
	logger         *slog.Logger
	maxBody        int64
	chunkSize      int
	pageSize       int
	returnResource bool
	now            func() time.Time
	retry          httpx.RetryPolicy
	sleep          func(context.Context, time.Duration) error
	recorder       *record.Recorder
}

// WithEndpoint sets the base URL (scheme://host[:port]), for example
// https://api.na1.alida.com or a test server. It wins over WithRegion.
func WithEndpoint(baseURL string) Option { return func(s *settings) { s.endpoint = baseURL } }

// WithRegion sets the region (pod) code; the base URL becomes
// https://api.<region>.alida.com.
func WithRegion(region string) Option { return func(s *settings) { s.region = region } }

// WithTransport sets the HTTP transport for API and token requests.
func WithTransport(rt http.RoundTripper) Option { return func(s *settings) { s.transport = rt } }

// WithTimeout bounds each call (all attempts); zero keeps the default.
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithEditor adds a request editor that runs before authentication.
func WithEditor(fn RequestEditorFn) Option {
	return func(s *settings) { s.editors = append(s.editors, fn) }
}

// WithLogger logs one debug record per HTTP attempt (never credentials).
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithMaxResponseBytes caps the size of a response body.
func WithMaxResponseBytes(n int64) Option { return func(s *settings) { s.maxBody = n } }

// WithChunkSize sets how many events one POST carries at most (default
// DefaultChunkSize).
func WithChunkSize(n int) Option { return func(s *settings) { s.chunkSize = n } }

// WithPageSize sets the page size (limit) used when listing queued
// invitations, 1 to MaxPageSize; zero keeps the server's default (20).
func WithPageSize(n int) Option { return func(s *settings) { s.pageSize = n } }

// WithReturnResource says whether the POSTs ask for the created events
// (x-webapi-return-resource). It is on by default; off, a successful POST
// reports OutcomeQueued without detail.
func WithReturnResource(on bool) Option { return func(s *settings) { s.returnResource = on } }

// WithRecorder saves every exchange as a scrubbed fixture file (see
// package record); the client's credentials are among the values scrubbed.
// Recording changes nothing that is sent or returned.
func WithRecorder(r *record.Recorder) Option { return func(s *settings) { s.recorder = r } }

// WithClock replaces the clock used to decide when a cached access token is
// due for renewal (tests and simulations).
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

var regionPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,30}$`)

// BaseURL returns the API host for a region code such as "na1".
func BaseURL(region string) (string, error) {
	if !regionPattern.MatchString(region) {
		return "", fmt.Errorf("alida: region %q must be a lowercase code such as na1", region)
	}
	return "https://api." + region + ".alida.com", nil
}

// WithMaxAttempts sets how often a safe (read-only) call is tried in all; 1
// disables retries. The default is 3. Calls that change state are sent once.
func WithMaxAttempts(n int) Option { return func(s *settings) { s.retry.MaxAttempts = n } }

// WithBackoff sets the first retry delay and the cap of the jittered
// exponential backoff (defaults 250ms and 10s).
func WithBackoff(base, max time.Duration) Option {
	return func(s *settings) { s.retry.BaseDelay, s.retry.MaxDelay = base, max }
}

// WithSleeper replaces how the client waits between retry attempts (the
// backoff and any Retry-After); fn must return early with ctx.Err() when
// ctx ends. Tests use it to retry without waiting.
func WithSleeper(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(s *settings) { s.sleep = fn }
}

// New returns a client for the community with the given API key name. Set
// the host with WithRegion or WithEndpoint: there is no default, since the
// region decides where the community's data lives.
func New(community string, auth Auth, opts ...Option) (*API, error) {
	s := settings{returnResource: true, now: time.Now}
	for _, o := range opts {
		o(&s)
	}
	if strings.TrimSpace(community) == "" {
		return nil, errors.New("alida: the community API key name is empty")
	}
	base := s.endpoint
	if base == "" {
		if s.region == "" {
			return nil, errors.New("alida: no host: use WithRegion or WithEndpoint")
		}
		var err error
		if base, err = BaseURL(s.region); err != nil {
			return nil, err
		}
	}
	u, err := url.Parse(strings.TrimRight(base, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("alida: endpoint %q must be scheme://host[:port]", base)
	}
	u.Path = ""
	if s.chunkSize < 0 {
		return nil, fmt.Errorf("alida: chunk size %d is negative", s.chunkSize)
	}
	if s.chunkSize == 0 {
		s.chunkSize = DefaultChunkSize
	}
	if s.pageSize < 0 || s.pageSize > MaxPageSize {
		return nil, fmt.Errorf("alida: page size %d is outside 1..%d", s.pageSize, MaxPageSize)
	}
	if s.now == nil {
		s.now = time.Now
	}

	transport := s.transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	timeout := s.timeout
	if timeout <= 0 {
		timeout = httpx.DefaultTimeout
	}
	tokenClient := &http.Client{Transport: transport, Timeout: timeout, CheckRedirect: refuseRedirect}
	authn, err := newAuthenticator(auth, u.String(), tokenClient, s.now)
	if err != nil {
		return nil, err
	}
	doer := httpx.New(httpx.Config{
		Transport:        transport,
		Timeout:          s.timeout,
		MaxResponseBytes: s.maxBody,
		Logger:           s.logger,
		Retry:            s.retry,
		Sleep:            s.sleep,
		Now:              s.now,
		Final:            []httpx.Editor{authn.edit},
		Recorder:         s.recorder.For("alida", auth.password.Reveal(), auth.clientSecret.Reveal()),
	})
	return &API{
		doer:      doer,
		auth:      authn,
		community: community,
		base:      u,
		chunkSize: s.chunkSize,
		pageSize:  s.pageSize,
		return201: s.returnResource,
		maxBody:   doer.MaxResponseBytes(),
		editors:   s.editors,
	}, nil
}

// refuseRedirect keeps the token request from following a redirect: the
// client secret must reach only the configured token endpoint.
func refuseRedirect(req *http.Request, via []*http.Request) error {
	return &httpx.RedirectError{From: via[0].URL.Host, To: req.URL.Host}
}

// Community returns the community API key name the client is for.
func (a *API) Community() string { return a.community }

// Endpoint returns the base URL the client calls.
func (a *API) Endpoint() string { return a.base.String() }

// call runs one generated-client call tagged with its operation, reads the
// answer and turns a non-2xx status into *APIError.
func (a *API) call(ctx context.Context, op string, safe bool, send func(context.Context) (*http.Response, error)) (*http.Response, []byte, error) {
	ctx = httpx.WithOperation(ctx, op, safe)
	resp, err := send(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("alida: %s: %w", op, err)
	}
	body, err := httpx.ReadBody(resp, a.maxBody)
	if err != nil {
		return nil, nil, fmt.Errorf("alida: %s: %w", op, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		if resp.StatusCode == http.StatusUnauthorized {
			a.auth.reject()
		}
		return resp, body, newAPIError(op, resp, body, a.auth.secrets()...)
	}
	return resp, body, nil
}

// RequestEditorFn changes a request before it is sent (WithEditor).
type RequestEditorFn func(ctx context.Context, req *http.Request) error

// invoke sends r and decodes a successful JSON answer into out (nil, or an
// empty answer: nothing is decoded).
func (a *API) invoke(ctx context.Context, r *request, out any) error {
	resp, body, err := a.call(ctx, r.op.ID, r.op.RetrySafe, func(ctx context.Context) (*http.Response, error) {
		return a.send(ctx, r)
	})
	if err != nil {
		return err
	}
	if out == nil || len(bytes.TrimSpace(body)) == 0 {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("alida: %s: unexpected answer %q: %w", r.op.ID, excerpt(resp, body), err)
	}
	return nil
}

// send builds the HTTP request for r and sends it once through the HTTP
// layer, which authenticates every attempt and retries safe operations.
// The context must carry the operation (call does that).
func (a *API) send(ctx context.Context, r *request) (*http.Response, error) {
	var body io.Reader = http.NoBody
	if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, err
		}
		body = bytes.NewReader(b)
	}
	u := a.base.String() + r.path
	if len(r.query) > 0 {
		u += "?" + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.op.Method, u, body)
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range r.header {
		req.Header[k] = v
	}
	for _, e := range a.editors {
		if err := e(ctx, req); err != nil {
			return nil, err
		}
	}
	return a.doer.Do(req)
}

// String names the client's community and host; it never shows credentials.
func (a *API) String() string {
	return fmt.Sprintf("alida.API(community=%s, endpoint=%s)", a.community, a.base)
}

// GoString is String.
func (a *API) GoString() string { return a.String() }
