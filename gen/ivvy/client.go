package ivvy

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/invitekit/invitekit/internal/clientopt"
	"github.com/invitekit/invitekit/internal/httpx"
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

type settings struct {
	core   clientopt.Settings
	region Region
}

// WithRegion selects the region's API host. WithBaseURL overrides it.
func WithRegion(r Region) Option { return func(s *settings) { s.region = r } }

// API is a signed iVvy client. It is safe for concurrent use.
type API struct {
	base    string
	doer    *httpx.Doer
	editors []httpx.Editor
	maxBody int64
	// secrets returns what scrubs the API secret, with the request's
	// signature, from what the server says. A function, so that no
	// formatting verb can show what it holds.
	secrets func() *redact.Scrubber
}

// New returns a client that signs every request with the key pair. A region
// (WithRegion) or a base URL (WithBaseURL) is required.
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
	if err := s.core.Check("ivvy"); err != nil {
		return nil, err
	}
	base, err := baseURL(s)
	if err != nil {
		return nil, err
	}
	signer := signing.NewIvvy(key, redact.Secret(secret), s.core.Clock())
	doer := httpx.New(s.core.HTTP("ivvy", []string{key, secret}, signer.Edit))
	secrets := new(redact.Scrubber)
	secrets.Add(secret)
	return &API{base: base, doer: doer, editors: s.core.RequestEditors(), maxBody: doer.MaxResponseBytes(),
		secrets: func() *redact.Scrubber { return secrets }}, nil
}

func baseURL(s settings) (string, error) {
	if s.core.BaseURL != "" {
		return clientopt.ParseBaseURL("ivvy", s.core.BaseURL)
	}
	if s.region == "" {
		return "", fmt.Errorf("ivvy: %w: use WithRegion or WithBaseURL", clientopt.ErrNoHost)
	}
	return s.region.BaseURL()
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
	if err := checkResponse(op, resp, body, a.doer.Now()); err != nil {
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
	contentType := "application/json"
	if rb, ok := r.body.(rawBody); ok {
		body, contentType = rb.data, rb.contentType
	} else if r.body != nil {
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
		req.Header["Content-Type"] = []string{contentType}
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
func checkResponse(op string, resp *http.Response, body []byte, now time.Time) *APIError {
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300
	if ok && !bytes.Contains(body, []byte(`"errorCode"`)) {
		return nil
	}
	if e := exception(op, body); e != nil {
		e.StatusCode, e.RetryAfter = resp.StatusCode, retryAfter(resp, now)
		return e
	}
	if ok {
		return nil
	}
	return &APIError{Operation: op, StatusCode: resp.StatusCode, Message: "unexpected response",
		Excerpt: string(body), RetryAfter: retryAfter(resp, now)}
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

func retryAfter(resp *http.Response, now time.Time) time.Duration {
	d, _ := httpx.RetryAfter(resp.Header, now)
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
