package ivvy

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
	"github.com/invitekit/invitekit/internal/oas"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
)

// Region is an iVvy data region.
type Region string

// The iVvy regions and their API hosts.
const (
	RegionAU Region = "au" // https://api.ap-southeast-2.ivvy.com
	RegionUS Region = "us" // https://api.us-west-2.ivvy.com
	RegionEU Region = "eu" // https://api.eu-west-2.ivvy.com (United Kingdom and Europe)
)

var regionHosts = map[Region]string{
	RegionAU: "https://api.ap-southeast-2.ivvy.com",
	RegionUS: "https://api.us-west-2.ivvy.com",
	RegionEU: "https://api.eu-west-2.ivvy.com",
}

// BaseURL returns the region's API base URL.
func (r Region) BaseURL() (string, error) {
	u, ok := regionHosts[r]
	if !ok {
		return "", fmt.Errorf("ivvy: unknown region %q: want au, us or eu", string(r))
	}
	return u, nil
}

// ParseRegion reads "au", "us" or "eu" (any case).
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToLower(strings.TrimSpace(s)))
	if _, err := r.BaseURL(); err != nil {
		return "", err
	}
	return r, nil
}

// Option configures an API built by New.
type Option func(*settings)

type settings struct {
	endpoint  string
	region    Region
	transport http.RoundTripper
	timeout   time.Duration
	editors   []RequestEditorFn
	logger    *slog.Logger
	maxBody   int64
	now       func() time.Time
	retry     httpx.RetryPolicy
	sleep     func(context.Context, time.Duration) error
}

// WithRegion selects the region's API host.
func WithRegion(r Region) Option { return func(s *settings) { s.region = r } }

// WithEndpoint sets the API base URL ("https://host[:port]"), for example a
// test server. It overrides WithRegion.
func WithEndpoint(baseURL string) Option { return func(s *settings) { s.endpoint = baseURL } }

// WithTransport sets the HTTP transport; the default is http.DefaultTransport.
func WithTransport(rt http.RoundTripper) Option { return func(s *settings) { s.transport = rt } }

// WithTimeout bounds each call, retries and body read included. The default
// is one minute; a negative value means no limit beyond the context.
func WithTimeout(d time.Duration) Option { return func(s *settings) { s.timeout = d } }

// WithEditor adds a request editor that runs on every call, before signing.
func WithEditor(fn RequestEditorFn) Option {
	return func(s *settings) { s.editors = append(s.editors, fn) }
}

// WithLogger receives one debug record per HTTP attempt (operation, status,
// duration, attempt); never a header or a body.
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.logger = l } }

// WithMaxResponseBytes caps a response body; a larger one fails with an
// error. The default is 4 MiB.
func WithMaxResponseBytes(n int64) Option { return func(s *settings) { s.maxBody = n } }

// WithClock sets the clock used to date and sign requests and to time
// retries.
func WithClock(now func() time.Time) Option { return func(s *settings) { s.now = now } }

// WithMaxAttempts sets how often a safe (read-only) call is tried in all; 1
// disables retries. The default is 3. Calls that change state are sent once.
func WithMaxAttempts(n int) Option { return func(s *settings) { s.retry.MaxAttempts = n } }

// WithBackoff sets the first retry delay and the cap of the jittered
// exponential backoff (defaults 250ms and 10s).
func WithBackoff(base, max time.Duration) Option {
	return func(s *settings) { s.retry.BaseDelay, s.retry.MaxDelay = base, max }
}

// API is a signed iVvy client. It is safe for concurrent use.
type API struct {
	raw     *Client
	maxBody int64
	// inviteURL is the inviteContacts URL, resolved once: InviteMany
	// sends that call over and over.
	inviteURL string
	// secrets returns what scrubs the API secret, with the request's
	// signature, from what the server says. A function, so that no
	// formatting verb can show what it holds.
	secrets func() *redact.Scrubber
}

// WithSleeper replaces how the client waits between retry attempts (the
// backoff and any Retry-After); fn must return early with ctx.Err() when
// ctx ends. Tests use it to retry without waiting.
func WithSleeper(fn func(ctx context.Context, d time.Duration) error) Option {
	return func(s *settings) { s.sleep = fn }
}

// New returns a client that signs every request with the key pair. A region
// (WithRegion) or a base URL (WithEndpoint) is required.
func New(key, secret string, opts ...Option) (*API, error) {
	var s settings
	for _, o := range opts {
		o(&s)
	}
	switch {
	case strings.TrimSpace(key) == "":
		return nil, errors.New("ivvy: API key is required")
	case secret == "":
		return nil, errors.New("ivvy: API secret is required")
	}
	base, err := baseURL(s)
	if err != nil {
		return nil, err
	}
	signer := signing.NewIvvy(key, redact.Secret(secret), s.now)
	doer := httpx.New(httpx.Config{
		Transport:        s.transport,
		Timeout:          s.timeout,
		MaxResponseBytes: s.maxBody,
		Logger:           s.logger,
		Final:            []httpx.Editor{signer.Edit},
		Retry:            s.retry,
		Sleep:            s.sleep,
		Now:              s.now,
	})
	clientOpts := []ClientOption{WithHTTPClient(doer)}
	for _, e := range s.editors {
		clientOpts = append(clientOpts, WithRequestEditorFn(e))
	}
	raw, err := NewClient(base, clientOpts...)
	if err != nil {
		return nil, fmt.Errorf("ivvy: %w", err)
	}
	tmpl, err := NewInviteContactsRequestWithBody(base, "application/json", nil)
	if err != nil {
		return nil, fmt.Errorf("ivvy: %w", err)
	}
	secrets := new(redact.Scrubber)
	secrets.Add(secret)
	return &API{raw: raw, maxBody: doer.MaxResponseBytes(), inviteURL: tmpl.URL.String(),
		secrets: func() *redact.Scrubber { return secrets }}, nil
}

func baseURL(s settings) (string, error) {
	if s.endpoint == "" {
		if s.region == "" {
			return "", errors.New("ivvy: no API host: use WithRegion or WithEndpoint")
		}
		return s.region.BaseURL()
	}
	u, err := url.Parse(s.endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("ivvy: endpoint %q is not an http(s)://host[:port] URL", s.endpoint)
	}
	if strings.Trim(u.Path, "/") != "" || u.RawQuery != "" {
		return "", fmt.Errorf("ivvy: endpoint %q must have no path or query: operation paths start at the host", s.endpoint)
	}
	return u.Scheme + "://" + u.Host, nil
}

// Raw returns the generated client underneath, which signs and retries like
// the API's own calls. Its per-call editors run before signing.
func (a *API) Raw() *Client { return a.raw }

var retrySafe = sync.OnceValue(func() map[string]bool {
	doc, err := GetSwagger()
	if err != nil {
		return map[string]bool{}
	}
	return oas.RetrySafe(doc)
})

// call runs one operation: it tags the context, sends, reads the body under
// the cap, turns exceptions into *APIError and decodes a success into T.
func call[T any](ctx context.Context, a *API, op string, send func(context.Context, ...RequestEditorFn) (*http.Response, error)) (*T, error) {
	ctx = httpx.WithOperation(ctx, op, retrySafe()[op])
	resp, err := send(ctx)
	if err != nil {
		return nil, fmt.Errorf("ivvy: %s: %w", op, err)
	}
	body, err := httpx.ReadBody(resp, a.maxBody)
	if err != nil {
		return nil, fmt.Errorf("ivvy: %s: %w", op, err)
	}
	if err := checkResponse(op, resp, body); err != nil {
		return nil, err.scrub(resp.Request, a.secrets())
	}
	out := new(T)
	if err := json.Unmarshal(body, out); err != nil {
		e := &APIError{Operation: op, StatusCode: resp.StatusCode,
			Message: "response does not decode: " + err.Error(), Excerpt: string(body)}
		return nil, e.scrub(resp.Request, a.secrets())
	}
	return out, nil
}

// checkResponse returns an *APIError for an exception body (whatever the
// status) or for a non-2xx answer. The caller scrubs it.
func checkResponse(op string, resp *http.Response, body []byte) *APIError {
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && !bytes.Contains(body, []byte(`"errorCode"`)) {
		return nil
	}
	if e := exception(op, body); e != nil {
		e.StatusCode, e.RetryAfter = resp.StatusCode, retryAfter(resp)
		return e
	}
	if ok {
		return nil
	}
	return &APIError{Operation: op, StatusCode: resp.StatusCode, Message: "unexpected response",
		Excerpt: string(body), RetryAfter: retryAfter(resp)}
}

// exception decodes an iVvy exception body, or returns nil when body is not
// one.
func exception(op string, body []byte) *APIError {
	var ex struct {
		ErrorCode          *int     `json:"errorCode"`
		SpecificCode       int      `json:"specificCode"`
		Message            string   `json:"message"`
		AdditionalMessages []string `json:"additionalMessages"`
	}
	if err := json.Unmarshal(body, &ex); err != nil || ex.ErrorCode == nil {
		return nil
	}
	return &APIError{Operation: op, ErrorCode: *ex.ErrorCode, SpecificCode: ex.SpecificCode,
		Message: ex.Message, AdditionalMessages: ex.AdditionalMessages}
}

func retryAfter(resp *http.Response) time.Duration {
	d, _ := httpx.RetryAfter(resp.Header, time.Now())
	return d
}

// Ping checks that the API is reachable and the key pair accepted. It
// returns the server's time.
//
// API: POST /api/1.0/test?action=ping (ping)
func (a *API) Ping(ctx context.Context) (*PingResult, error) {
	return call[PingResult](ctx, a, "ping", a.raw.Ping)
}

// InviteContacts invites contacts to an event. The result has one entry per
// contact; Status is false for a contact that was not invited. It is sent
// once, never retried.
//
// API: POST /api/1.0/event?action=inviteContacts (inviteContacts)
func (a *API) InviteContacts(ctx context.Context, eventID int64, contactIDs []int64) (*InviteContactsResult, error) {
	if eventID <= 0 {
		return nil, fmt.Errorf("ivvy: inviteContacts: event id must be positive, got %d", eventID)
	}
	if len(contactIDs) == 0 {
		return nil, errors.New("ivvy: inviteContacts: at least one contact id is required")
	}
	for _, id := range contactIDs {
		if id <= 0 {
			return nil, fmt.Errorf("ivvy: inviteContacts: contact ids must be positive, got %d", id)
		}
	}
	body := InviteContactsRequest{Event: eventID, Contacts: contactIDs}
	return call[InviteContactsResult](ctx, a, "inviteContacts", func(ctx context.Context, _ ...RequestEditorFn) (*http.Response, error) {
		return a.sendInviteContacts(ctx, body)
	})
}

// sendInviteContacts sends what the generated Client.InviteContacts sends
// (the same body, URL, header and editors), without parsing the server URL
// and resolving the operation path on every call.
func (a *API) sendInviteContacts(ctx context.Context, body InviteContactsRequest) (*http.Response, error) {
	buf, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.inviteURL, bytes.NewReader(buf))
	if err != nil {
		return nil, err
	}
	req.Header["Content-Type"] = []string{"application/json"}
	if err := a.raw.applyEditors(ctx, req, nil); err != nil {
		return nil, err
	}
	return a.raw.Client.Do(req)
}
