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
	"time"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
	"github.com/invitekit/invitekit/record"
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
	recorder  *record.Recorder
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

// WithRecorder saves every exchange as a scrubbed fixture file (see
// package record); the client's credentials are among the values scrubbed.
// Recording changes nothing that is sent or returned.
func WithRecorder(r *record.Recorder) Option { return func(s *settings) { s.recorder = r } }

// RequestEditorFn changes a request before it is sent (WithEditor).
type RequestEditorFn func(ctx context.Context, req *http.Request) error

// API is a signed iVvy client. It is safe for concurrent use.
type API struct {
	base    string
	doer    *httpx.Doer
	editors []RequestEditorFn
	maxBody int64
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
		Recorder:         s.recorder.For("ivvy", key, secret),
	})
	secrets := new(redact.Scrubber)
	secrets.Add(secret)
	return &API{base: base, doer: doer, editors: s.editors, maxBody: doer.MaxResponseBytes(),
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

// invoke sends r and decodes a successful answer into out (nil: the body
// is read and checked, not decoded). Exceptions become *APIError.
func (a *API) invoke(ctx context.Context, r *request, out any) error {
	op := r.op.ID
	resp, err := a.send(ctx, r)
	if err != nil {
		return fmt.Errorf("ivvy: %s: %w", op, err)
	}
	body, err := httpx.ReadBody(resp, a.maxBody)
	if err != nil {
		return fmt.Errorf("ivvy: %s: %w", op, err)
	}
	if err := checkResponse(op, resp, body); err != nil {
		return err.scrub(resp.Request, a.secrets())
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(body, out); err != nil {
		e := &APIError{Operation: op, StatusCode: resp.StatusCode,
			Message: "response does not decode: " + err.Error(), Excerpt: string(body)}
		return e.scrub(resp.Request, a.secrets())
	}
	return nil
}

// send builds the HTTP request for r, runs the editors and sends it through
// the HTTP layer, which signs every attempt and retries safe operations.
func (a *API) send(ctx context.Context, r *request) (*http.Response, error) {
	ctx = httpx.WithOperation(ctx, r.op.ID, r.op.RetrySafe)
	var body []byte
	if r.body != nil {
		var err error
		if body, err = json.Marshal(r.body); err != nil {
			return nil, err
		}
	}
	u := a.base + r.path
	if len(r.query) > 0 {
		sep := "?"
		if strings.Contains(r.path, "?") {
			sep = "&"
		}
		u += sep + r.query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, r.op.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if r.body != nil {
		req.Header["Content-Type"] = []string{"application/json"}
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
	out := new(InviteContactsResult)
	if err := a.invoke(ctx, a.newInviteContacts(InviteContactsRequest{Event: eventID, Contacts: contactIDs}), out); err != nil {
		return nil, err
	}
	return out, nil
}
