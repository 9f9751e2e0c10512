package alida

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
)

// tokenPath is the path of the OAuth2 token endpoint on the API host, used
// when ClientCredentials is given no token URL.
const tokenPath = "/oauth2/token"

// refreshMargin is how long before its expiry a cached token is replaced.
// Short-lived tokens are replaced after four fifths of their lifetime.
const refreshMargin = time.Minute

type authKind int

const (
	authBasic authKind = iota + 1
	authClientCredentials
)

// Auth is how the client authenticates: HTTP Basic or OAuth2 client
// credentials. Build it with BasicAuth or ClientCredentials. Printing or
// logging an Auth never shows its secret.
type Auth struct {
	kind         authKind
	username     string
	password     redact.Secret
	clientID     string
	clientSecret redact.Secret
	tokenURL     string
}

// BasicAuth authenticates every request with HTTP Basic credentials.
func BasicAuth(username, password string) Auth {
	return Auth{kind: authBasic, username: username, password: redact.Secret(password)}
}

// ClientCredentials authenticates with a bearer token obtained from the
// OAuth2 token endpoint with the client_credentials grant. The token is
// fetched on first use and reused until shortly before it expires. An empty
// tokenURL means /oauth2/token on the API host.
func ClientCredentials(clientID, clientSecret, tokenURL string) Auth {
	return Auth{kind: authClientCredentials, clientID: clientID, clientSecret: redact.Secret(clientSecret), tokenURL: tokenURL}
}

// String describes the credentials without their secret.
func (a Auth) String() string {
	switch a.kind {
	case authBasic:
		return fmt.Sprintf("basic(user=%s, password=%s)", a.username, redact.Placeholder)
	case authClientCredentials:
		return fmt.Sprintf("client-credentials(client=%s, secret=%s)", a.clientID, redact.Placeholder)
	}
	return "no credentials"
}

// GoString is String, so %#v does not show the secret either.
func (a Auth) GoString() string { return a.String() }

// Format writes String whatever the verb, so that no verb shows the secret.
func (a Auth) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }

// LogValue is String, for log/slog.
func (a Auth) LogValue() slog.Value { return slog.StringValue(a.String()) }

func (a Auth) check() error {
	switch a.kind {
	case authBasic:
		if a.username == "" || a.password.IsZero() {
			return errors.New("alida: Basic auth needs a user name and a password")
		}
	case authClientCredentials:
		if a.clientID == "" || a.clientSecret.IsZero() {
			return errors.New("alida: client credentials need a client id and a client secret")
		}
	default:
		return errors.New("alida: no credentials: use BasicAuth or ClientCredentials")
	}
	return nil
}

// authenticator adds credentials to a request as the last editor.
type authenticator interface {
	edit(ctx context.Context, req *http.Request) error
	// reject is called after a 401 so that a cached token is not reused.
	reject()
	// secrets are the credentials to scrub from server text, beyond those
	// the request carried.
	secrets() []string
}

type basicAuthenticator struct {
	editor func(context.Context, *http.Request) error
	// password returns the password; a function, so that no formatting
	// verb can show it.
	password func() string
}

func (b basicAuthenticator) edit(ctx context.Context, req *http.Request) error {
	return b.editor(ctx, req)
}

func (basicAuthenticator) reject() {}

func (b basicAuthenticator) secrets() []string { return []string{b.password()} }

// tokenCache holds one bearer token and fetches a new one when it is about
// to expire. Concurrent callers share one fetch; each of them waits for it
// only as long as its own context allows.
type tokenCache struct {
	conf   *clientcredentials.Config
	client *http.Client
	now    func() time.Time
	// scrub removes the client credentials from what the token endpoint
	// says.
	scrub *redact.Scrubber

	mu      sync.Mutex
	token   redact.Secret
	refresh time.Time    // replace the token at or after this time
	flight  *tokenFlight // the fetch under way, if any
}

// tokenFlight is one token fetch that every concurrent caller waits for.
type tokenFlight struct {
	done    chan struct{}
	cancel  context.CancelFunc // ends the fetch once nobody waits for it
	waiters int                // guarded by tokenCache.mu
	token   redact.Secret
	err     error
}

func (c *tokenCache) edit(ctx context.Context, req *http.Request) error {
	tok, err := c.get(ctx)
	if err != nil {
		if refused(err) {
			// Wrong client credentials stay wrong: one token request
			// per call, not one per attempt.
			return httpx.Final(err)
		}
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	return nil
}

// refused reports whether the token endpoint turned the client
// credentials down (400 or 401, as RFC 6749 5.2 has it, or 403), or
// answered without a token.
func refused(err error) bool {
	var e *APIError
	if !errors.As(err, &e) || e.Operation != "token" {
		return false
	}
	switch e.StatusCode {
	case http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusOK:
		return true
	}
	return false
}

func (c *tokenCache) reject() {
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
}

func (c *tokenCache) secrets() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return []string{c.conf.ClientSecret, c.token.Reveal()}
}

// get returns a fresh token, fetching one if needed. It returns when ctx
// ends even if the fetch goes on (for the other callers waiting for it).
func (c *tokenCache) get(ctx context.Context) (redact.Secret, error) {
	c.mu.Lock()
	if !c.token.IsZero() && c.now().Before(c.refresh) {
		tok := c.token
		c.mu.Unlock()
		return tok, nil
	}
	f := c.flight
	if f == nil {
		// The fetch runs on its own, so that a caller giving up does not
		// fail the others waiting for it; it is cancelled when the last
		// of them gives up.
		fctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
		f = &tokenFlight{done: make(chan struct{}), cancel: cancel}
		c.flight = f
		go c.fetch(fctx, f)
	}
	f.waiters++
	c.mu.Unlock()
	select {
	case <-f.done:
		return f.token, f.err
	case <-ctx.Done():
		c.mu.Lock()
		if f.waiters--; f.waiters == 0 {
			f.cancel()
			if c.flight == f {
				c.flight = nil // the next caller starts a fetch of its own
			}
		}
		c.mu.Unlock()
		return "", fmt.Errorf("alida: waiting for an access token: %w", ctx.Err())
	}
}

// fetch asks the token endpoint for a token and hands the outcome to the
// flight's callers.
func (c *tokenCache) fetch(ctx context.Context, f *tokenFlight) {
	start := c.now()
	tok, err := c.conf.Token(context.WithValue(ctx, oauth2.HTTPClient, c.client))
	switch {
	case err != nil:
		err = c.tokenError(err)
	case tok.AccessToken == "":
		err = &APIError{StatusCode: http.StatusOK, Operation: "token", Message: "the token endpoint returned no access token"}
	}
	c.mu.Lock()
	if err == nil {
		c.token = redact.Secret(tok.AccessToken)
		c.refresh = refreshTime(start, tok)
		f.token = c.token
	}
	f.err = err
	if c.flight == f {
		c.flight = nil
	}
	c.mu.Unlock()
	f.cancel()
	close(f.done)
}

// refreshTime is when a token fetched at now should be replaced.
func refreshTime(now time.Time, tok *oauth2.Token) time.Time {
	var lifetime time.Duration
	switch {
	case tok.ExpiresIn > 0:
		lifetime = time.Duration(tok.ExpiresIn) * time.Second
	case !tok.Expiry.IsZero():
		lifetime = time.Until(tok.Expiry)
	default:
		// No expiry given: keep the token until the server refuses it.
		return now.Add(100 * 365 * 24 * time.Hour)
	}
	margin := refreshMargin
	if lifetime/5 < margin {
		margin = lifetime / 5
	}
	return now.Add(lifetime - margin)
}

// tokenError turns a token endpoint failure into an error without the
// response body (which oauth2 would print) and with the client
// credentials scrubbed, in every form, from what the endpoint said.
func (c *tokenCache) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		sc := c.scrub.Clone()
		status := http.StatusBadRequest
		if re.Response != nil {
			status = re.Response.StatusCode
			sc.AddRequest(re.Response.Request)
		}
		e := &APIError{StatusCode: status, Operation: "token", Message: sc.Scrub(re.ErrorCode)}
		if re.ErrorDescription != "" {
			e.Message = sc.Scrub(re.ErrorCode + ": " + re.ErrorDescription)
		}
		if e.Message == "" {
			e.Message = "the token endpoint refused the client credentials"
		}
		return e
	}
	return &scrubbedError{msg: "alida: fetching access token: " + c.scrub.Scrub(err.Error()), err: err}
}

// scrubbedError is an error whose text was scrubbed of credentials; it
// unwraps to the original.
type scrubbedError struct {
	msg string
	err error
}

func (e *scrubbedError) Error() string { return e.msg }
func (e *scrubbedError) Unwrap() error { return e.err }

func newAuthenticator(a Auth, base string, httpClient *http.Client, now func() time.Time) (authenticator, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	if a.kind == authBasic {
		return basicAuthenticator{editor: signing.Basic(a.username, a.password), password: a.password.Reveal}, nil
	}
	tokenURL := a.tokenURL
	if tokenURL == "" {
		tokenURL = base + tokenPath
	}
	var sc redact.Scrubber
	sc.Add(a.clientSecret.Reveal())
	sc.AddBasic(a.clientID, a.clientSecret.Reveal())
	sc.AddBasic(url.QueryEscape(a.clientID), url.QueryEscape(a.clientSecret.Reveal()))
	return &tokenCache{
		conf: &clientcredentials.Config{
			ClientID:     a.clientID,
			ClientSecret: a.clientSecret.Reveal(),
			TokenURL:     tokenURL,
			// One style, not auto-detection: a refused secret would
			// otherwise cost a second token request. RFC 6749 2.3.1
			// requires servers to accept HTTP Basic.
			AuthStyle: oauth2.AuthStyleInHeader,
		},
		client: httpClient,
		now:    now,
		scrub:  &sc,
	}, nil
}

// Format writes String whatever the verb, so that verbs which do not use
// String (%d, %t, ...) cannot reach the credentials inside.
func (a *API) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, a.String()) }
