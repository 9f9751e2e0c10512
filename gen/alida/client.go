package alida

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/invitekit/invitekit/internal/clientopt"
	"github.com/invitekit/invitekit/internal/httpx"
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
	pageSize  int
	return201 bool
	maxBody   int64
	editors   []httpx.Editor
}

type settings struct {
	core           clientopt.Settings
	region         Region
	pageSize       int
	returnResource bool
}

// Region is an Alida region (pod) code such as "na1"; its API host is
// https://api.<region>.alida.com.
type Region string

var regionPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,30}$`)

// ParseRegion reads a region code such as "na1" or "EU1" (any case).
func ParseRegion(s string) (Region, error) {
	r := Region(strings.ToLower(strings.TrimSpace(s)))
	if _, err := r.BaseURL(); err != nil {
		return "", err
	}
	return r, nil
}

// BaseURL returns the region's API host.
func (r Region) BaseURL() (string, error) {
	if !regionPattern.MatchString(string(r)) {
		return "", fmt.Errorf("alida: region %q must be a lowercase code such as na1", string(r))
	}
	return "https://api." + string(r) + ".alida.com", nil
}

// WithRegion selects the region's API host. WithBaseURL overrides it.
func WithRegion(r Region) Option { return func(s *settings) { s.region = r } }

// WithPageSize sets the page size (limit) used when listing queued
// invitations, 1 to MaxPageSize; zero keeps the server's default (20).
func WithPageSize(n int) Option { return func(s *settings) { s.pageSize = n } }

// WithReturnResource says whether the POSTs ask for the created events
// (x-webapi-return-resource). It is on by default; off, a successful POST
// reports OutcomeQueued without detail.
func WithReturnResource(on bool) Option { return func(s *settings) { s.returnResource = on } }

// New returns a client for the community with the given API key name. Set
// the host with WithRegion or WithBaseURL: there is no default, since the
// region decides where the community's data lives.
func New(community string, auth Auth, opts ...Option) (*API, error) {
	s := settings{returnResource: true}
	for _, o := range opts {
		o(&s)
	}
	if strings.TrimSpace(community) == "" {
		return nil, errors.New("alida: the community API key name is empty")
	}
	if err := s.core.Check("alida"); err != nil {
		return nil, err
	}
	var base string
	var err error
	switch {
	case s.core.BaseURL != "":
		base, err = clientopt.ParseBaseURL("alida", s.core.BaseURL)
	case s.region != "":
		base, err = s.region.BaseURL()
	default:
		err = fmt.Errorf("alida: %w: use WithRegion or WithBaseURL", clientopt.ErrNoHost)
	}
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(base)
	if err != nil {
		return nil, fmt.Errorf("alida: %w", err)
	}
	if s.pageSize < 0 || s.pageSize > MaxPageSize {
		return nil, fmt.Errorf("alida: page size %d is outside 1..%d", s.pageSize, MaxPageSize)
	}
	transport := s.core.Transport
	if transport == nil {
		transport = http.DefaultTransport
	}
	tokenClient := &http.Client{Transport: transport, Timeout: s.core.TokenTimeout(), CheckRedirect: refuseRedirect}
	authn, err := newAuthenticator(auth, u.String(), tokenClient, s.core.Clock())
	if err != nil {
		return nil, err
	}
	doer := httpx.New(s.core.HTTP("alida", []string{auth.password.Reveal(), auth.clientSecret.Reveal()}, authn.edit))
	return &API{
		doer:      doer,
		auth:      authn,
		community: community,
		base:      u,
		pageSize:  s.pageSize,
		return201: s.returnResource,
		maxBody:   doer.MaxResponseBytes(),
		editors:   s.core.RequestEditors(),
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
		return resp, body, newAPIError(op, resp, body, a.doer.Now(), a.auth.secrets()...)
	}
	return resp, body, nil
}

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
