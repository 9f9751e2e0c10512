package alida

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

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
}

type basicAuthenticator struct {
	editor func(context.Context, *http.Request) error
}

func (b basicAuthenticator) edit(ctx context.Context, req *http.Request) error {
	return b.editor(ctx, req)
}

func (basicAuthenticator) reject() {}

// tokenCache holds one bearer token and fetches a new one when it is about
// to expire. Concurrent callers share one fetch.
type tokenCache struct {
	conf   *clientcredentials.Config
	client *http.Client
	now    func() time.Time

	mu      sync.Mutex
	token   redact.Secret
	refresh time.Time // replace the token at or after this time
	fetches int
}

func (c *tokenCache) edit(ctx context.Context, req *http.Request) error {
	tok, err := c.get(ctx)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok.Reveal())
	return nil
}

func (c *tokenCache) reject() {
	c.mu.Lock()
	c.token = ""
	c.mu.Unlock()
}

func (c *tokenCache) get(ctx context.Context) (redact.Secret, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if !c.token.IsZero() && now.Before(c.refresh) {
		return c.token, nil
	}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, c.client)
	tok, err := c.conf.Token(ctx)
	c.fetches++
	if err != nil {
		return "", tokenError(err)
	}
	if tok.AccessToken == "" {
		return "", &APIError{StatusCode: http.StatusOK, Operation: "token", Message: "the token endpoint returned no access token"}
	}
	c.token = redact.Secret(tok.AccessToken)
	c.refresh = refreshTime(now, tok)
	return c.token, nil
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
// response body (which oauth2 would print) or any credential.
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) && re.Response != nil {
		e := &APIError{StatusCode: re.Response.StatusCode, Operation: "token", Message: re.ErrorCode}
		if re.ErrorDescription != "" {
			e.Message = re.ErrorCode + ": " + re.ErrorDescription
		}
		if e.Message == "" {
			e.Message = "the token endpoint refused the client credentials"
		}
		return e
	}
	return fmt.Errorf("alida: fetching access token: %w", err)
}

func newAuthenticator(a Auth, base string, httpClient *http.Client, now func() time.Time) (authenticator, error) {
	if err := a.check(); err != nil {
		return nil, err
	}
	if a.kind == authBasic {
		return basicAuthenticator{editor: signing.Basic(a.username, a.password)}, nil
	}
	tokenURL := a.tokenURL
	if tokenURL == "" {
		tokenURL = base + tokenPath
	}
	return &tokenCache{
		conf: &clientcredentials.Config{
			ClientID:     a.clientID,
			ClientSecret: a.clientSecret.Reveal(),
			TokenURL:     tokenURL,
		},
		client: httpClient,
		now:    now,
	}, nil
}
