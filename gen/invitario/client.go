package invitario

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/invitekit/invitekit/internal/clientopt"
	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
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
	editors  []httpx.Editor
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

type settings struct {
	core      clientopt.Settings
	maxGuest  int64
	overlap   time.Duration
	overlapOK bool
	afterFunc func(time.Duration, func()) func() bool // timers of streamed lists; tests only
}

// WithMaxGuestBytes caps the encoded size of one guest in a streamed list
// (default DefaultMaxListBytes). Lists are streamed, so their total size is
// not capped.
func WithMaxGuestBytes(n int64) Option { return func(s *settings) { s.maxGuest = n } }

// WithSyncOverlap sets how far before the cursor Sync asks for changes
// (default DefaultSyncOverlap; zero asks from the cursor's time exactly).
func WithSyncOverlap(d time.Duration) Option {
	return func(s *settings) { s.overlap, s.overlapOK = d, true }
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
	if err := s.core.Check("invitario"); err != nil {
		return nil, err
	}
	if s.core.BaseURL == "" {
		return nil, fmt.Errorf("invitario: %w: use WithBaseURL (the vendor publishes no host)", clientopt.ErrNoHost)
	}
	base, err := clientopt.ParseBaseURL("invitario", s.core.BaseURL)
	if err != nil {
		return nil, err
	}
	if s.maxGuest <= 0 {
		s.maxGuest = DefaultMaxListBytes
	}
	if !s.overlapOK {
		s.overlap = DefaultSyncOverlap
	}
	if s.core.Retry.MaxAttempts <= 0 {
		s.core.Retry.MaxAttempts = httpx.DefaultMaxAttempts
	}
	if s.overlap < 0 {
		return nil, fmt.Errorf("invitario: sync overlap %v is negative", s.overlap)
	}
	cfg := s.core.HTTP("invitario", []string{creds.AppCode.Reveal()})
	cfg.AfterFunc = s.afterFunc
	doer := httpx.New(cfg)
	return &API{
		base:     base,
		doer:     doer,
		editors:  s.core.RequestEditors(),
		creds:    creds,
		maxBody:  doer.MaxResponseBytes(),
		maxGuest: s.maxGuest,
		overlap:  s.overlap,
		attempts: s.core.Retry.MaxAttempts,
	}, nil
}

// String names the client's event, station and host; it never shows the app
// code or the session token.
func (a *API) String() string {
	return fmt.Sprintf("invitario.API(event=%s, station=%s, endpoint=%s)", a.creds.EventID, a.creds.Station, a.base)
}

// GoString is String, so %#v does not show credentials either.
func (a *API) GoString() string { return a.String() }

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
