package invitario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/record"
)

// Secret holds a credential (the app code, a session token). Printing,
// logging or JSON-encoding it shows "[redacted]"; Reveal returns the value.
type Secret = redact.Secret

// DefaultSyncOverlap is how far before the cursor's time Sync asks for
// changes, so that a change stamped just before the server's answer time is
// not missed. Guests already delivered are not delivered again.
const DefaultSyncOverlap = 2 * time.Second

// DefaultMaxListBytes caps a single guest (and the envelope around the
// guest array) in a streamed list; the list as a whole is not capped.
const DefaultMaxListBytes = 1 << 20

// Credentials are the three values from the event's "Check-in" menu.
type Credentials struct {
	// EventID is the id in the backend URL .../admin/event/{eventId}.
	EventID string
	// AppCode is the "App Code" of the check-in app configuration (sent as
	// apiKey).
	AppCode Secret
	// Station is the "Name" of that app configuration (sent as
	// stationName).
	Station string
}

// API is an Invitario session for one event: it logs in on first use (all
// concurrent callers share that login), sends the session token with every
// request, logs in again once when the server reports an invalid session, and
// logs out once on Close. It is safe for concurrent use.
type API struct {
	base     string
	doer     *httpx.Doer
	editors  []RequestEditorFn
	creds    Credentials
	maxBody  int64
	maxGuest int64
	overlap  time.Duration
	attempts int // tries of a safe call in all

	mu      sync.Mutex
	token   Secret
	gen     uint64 // counts successful logins; tells a stale token from the current one
	session *Session
	flight  *loginFlight
	closed  bool
}

// Option configures New.
type Option func(*settings)

type settings struct {
	endpoint  string
	transport http.RoundTripper
	timeout   time.Duration
	editors   []RequestEditorFn
	logger    *slog.Logger
	maxBody   int64
	maxGuest  int64
	overlap   time.Duration
	overlapOK bool
	retry     httpx.RetryPolicy
	sleep     func(context.Context, time.Duration) error
	afterFunc func(time.Duration, func()) func() bool // timers of streamed lists; tests only
	recorder  *record.Recorder
}

// WithEndpoint sets the base URL (scheme://host[:port]). It is required: the
// vendor does not publish a host.
func WithEndpoint(baseURL string) Option { return func(s *settings) { s.endpoint = baseURL } }

// WithTransport sets the HTTP transport.
func WithTransport(rt http.RoundTripper) Option { return func(s *settings) { s.transport = rt } }

// WithTimeout bounds each call, retries included (default 60s; negative
// means no limit). A streamed guest list is bounded by it only until its
// answer begins: reading the list then has an idle limit of the same length
// instead, failing only when no bytes arrive for that long, so a long list
// is never cut off while it keeps coming. Bound a whole list with the
// context.
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithEditor adds a request editor that runs on every request.
func WithEditor(fn RequestEditorFn) Option {
	return func(s *settings) { s.editors = append(s.editors, fn) }
}

// WithLogger logs one debug record per HTTP attempt (never credentials).
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithMaxResponseBytes caps the body of login, logout and error answers.
func WithMaxResponseBytes(n int64) Option { return func(s *settings) { s.maxBody = n } }

// WithMaxGuestBytes caps the encoded size of one guest in a streamed list
// (default DefaultMaxListBytes). Lists are streamed, so their total size is
// not capped.
func WithMaxGuestBytes(n int64) Option { return func(s *settings) { s.maxGuest = n } }

// WithSyncOverlap sets how far before the cursor Sync asks for changes
// (default DefaultSyncOverlap; zero asks from the cursor's time exactly).
func WithSyncOverlap(d time.Duration) Option {
	return func(s *settings) { s.overlap, s.overlapOK = d, true }
}

// WithRecorder saves every exchange as a scrubbed fixture file (see
// package record); the client's credentials are among the values scrubbed.
// Recording changes nothing that is sent or returned.
func WithRecorder(r *record.Recorder) Option { return func(s *settings) { s.recorder = r } }

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

// New returns a session for the event. Nothing is sent until the first call.
func New(creds Credentials, opts ...Option) (*API, error) {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	if strings.TrimSpace(creds.EventID) == "" {
		return nil, errors.New("invitario: the event id is empty")
	}
	if creds.AppCode.IsZero() {
		return nil, errors.New("invitario: the app code is empty")
	}
	if s.endpoint == "" {
		return nil, errors.New("invitario: no host: use WithEndpoint")
	}
	u, err := url.Parse(strings.TrimRight(s.endpoint, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil ||
		u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("invitario: endpoint %q must be scheme://host[:port]", s.endpoint)
	}
	if s.maxGuest <= 0 {
		s.maxGuest = DefaultMaxListBytes
	}
	if !s.overlapOK {
		s.overlap = DefaultSyncOverlap
	}
	if s.retry.MaxAttempts <= 0 {
		s.retry.MaxAttempts = httpx.DefaultMaxAttempts
	}
	if s.overlap < 0 {
		return nil, fmt.Errorf("invitario: sync overlap %v is negative", s.overlap)
	}
	doer := httpx.New(httpx.Config{
		Transport:        s.transport,
		Timeout:          s.timeout,
		MaxResponseBytes: s.maxBody,
		Logger:           s.logger,
		Retry:            s.retry,
		Sleep:            s.sleep,
		AfterFunc:        s.afterFunc,
		Recorder:         s.recorder.For("invitario", creds.AppCode.Reveal()),
	})
	return &API{
		base:     u.String(),
		doer:     doer,
		editors:  s.editors,
		creds:    creds,
		maxBody:  doer.MaxResponseBytes(),
		maxGuest: s.maxGuest,
		overlap:  s.overlap,
		attempts: s.retry.MaxAttempts,
	}, nil
}

// String names the client's event, station and host; it never shows the app
// code or the session token.
func (a *API) String() string {
	return fmt.Sprintf("invitario.API(event=%s, station=%s, endpoint=%s)", a.creds.EventID, a.creds.Station, a.base)
}

// GoString is String, so %#v does not show credentials either.
func (a *API) GoString() string { return a.String() }

// RequestEditorFn changes a request before it is sent (WithEditor).
type RequestEditorFn func(ctx context.Context, req *http.Request) error

// send builds the HTTP request for r and sends it through the HTTP layer.
// The context must carry the operation.
func (a *API) send(ctx context.Context, r *request) (*http.Response, error) {
	b, err := json.Marshal(r.body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, r.op.Method, a.base+r.path, bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	for _, e := range a.editors {
		if err := e(ctx, req); err != nil {
			return nil, err
		}
	}
	return a.doer.Do(req)
}
