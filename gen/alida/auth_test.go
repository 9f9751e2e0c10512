package alida_test

import (
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	"github.com/invitekit/invitekit/gen/alida"
)

// guard fails the test when ch yields nothing in a long while: it turns a
// hang (the failure being tested for) into a failure. It is no timing
// assumption: a correct client answers at once.
func guard[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(30 * time.Second):
		t.Fatalf("%s: no answer", what)
		panic("unreachable")
	}
}

type signalKey struct{}

// signalEditor closes the channel a call's context carries once the call
// has been built and is about to be authenticated.
func signalEditor(ctx context.Context, _ *http.Request) error {
	if ch, ok := ctx.Value(signalKey{}).(chan struct{}); ok {
		select {
		case <-ch:
		default:
			close(ch)
		}
	}
	return nil
}

// blockingTokenServer serves the demo fake, holding the first token
// request until release is closed.
func blockingTokenServer(t *testing.T) (fake *alidafake.Server, srv *httptest.Server, arrived <-chan struct{}, release chan struct{}) {
	t.Helper()
	fake = alidafake.Demo()
	arr := make(chan struct{})
	release = make(chan struct{})
	var n atomic.Int64
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == alidafake.TokenPath && n.Add(1) == 1 {
			close(arr)
			select {
			case <-release:
			case <-r.Context().Done():
				return
			}
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		select {
		case <-release:
		default:
			close(release)
		}
		srv.Close()
	})
	return fake, srv, arr, release
}

func oauthClient(t *testing.T, srv *httptest.Server, secret string, opts ...alida.Option) *alida.API {
	t.Helper()
	api, err := alida.New(alidafake.DemoCommunity, alida.ClientCredentials(alidafake.DemoClientID, secret, ""),
		append([]alida.Option{alida.WithBaseURL(srv.URL), alida.WithEditor(signalEditor)}, opts...)...)
	require.NoError(t, err)
	return api
}

// A call waiting for a token another call is fetching gives up when its
// own context ends; the fetch goes on for the other call.
func TestTokenWaitEndsWithCallerContext(t *testing.T) {
	fake, srv, arrived, release := blockingTokenServer(t)
	api := oauthClient(t, srv, alidafake.DemoClientSecret)

	first := make(chan error, 1)
	go func() {
		_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
		first <- err
	}()
	guard(t, arrived, "the first token request")

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	built := make(chan struct{})
	second := make(chan error, 1)
	go func() {
		_, err := api.CollectQueued(context.WithValue(ctx, signalKey{}, built), time.Time{}, nil)
		second <- err
	}()
	guard(t, built, "the second call")
	cancel()
	err := guard(t, second, "the second call, cancelled while the token fetch is stalled")
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "waiting for an access token")

	close(release)
	require.NoError(t, guard(t, first, "the first call"))
	assert.Equal(t, 1, fake.TokenRequests(), "the fetch went on for the first call")
	assert.Equal(t, 1, fake.Calls("listQueuedInvitationEvents"))
}

// When the only caller waiting for a token gives up, the fetch ends, and
// the next call starts a fetch of its own instead of inheriting the
// cancelled one.
func TestAbandonedTokenFetchDoesNotFailNextCall(t *testing.T) {
	fake, srv, arrived, _ := blockingTokenServer(t)
	api := oauthClient(t, srv, alidafake.DemoClientSecret)
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, err := api.CollectQueued(ctx, time.Time{}, nil)
		done <- err
	}()
	guard(t, arrived, "the token request")
	cancel()
	require.ErrorIs(t, guard(t, done, "the cancelled call"), context.Canceled)

	_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, fake.TokenRequests())
}

// countingServer serves the demo fake and counts token and API requests.
func countingServer(t *testing.T) (srv *httptest.Server, tokens, calls *atomic.Int64) {
	t.Helper()
	fake := alidafake.Demo()
	tokens, calls = new(atomic.Int64), new(atomic.Int64)
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == alidafake.TokenPath {
			tokens.Add(1)
		} else {
			calls.Add(1)
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, tokens, calls
}

// A token endpoint that refuses the client credentials costs one token
// request per call: no retry, no second authentication style.
func TestRefusedTokenCostsOneRequestPerCall(t *testing.T) {
	srv, tokens, calls := countingServer(t)
	api := oauthClient(t, srv, "wrong-client-secret", alida.WithMaxAttempts(5),
		alida.WithSleeper(func(context.Context, time.Duration) error { return nil }))
	_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	assert.Equal(t, int64(1), tokens.Load(), "token requests for one call")
	assert.Equal(t, int64(0), calls.Load(), "API requests")

	_, err = api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	assert.Equal(t, int64(2), tokens.Load(), "one more for the second call")
	assert.Equal(t, int64(0), calls.Load())

	// The right secret still works with the one style the client uses.
	api = oauthClient(t, srv, alidafake.DemoClientSecret)
	_, err = api.CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(3), tokens.Load())
}

// A token endpoint that is down is still retried like any other failure.
func TestTokenEndpointOutageIsRetried(t *testing.T) {
	fake := alidafake.Demo()
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == alidafake.TokenPath && n.Add(1) == 1 {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		fake.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	api := oauthClient(t, srv, alidafake.DemoClientSecret,
		alida.WithSleeper(func(context.Context, time.Duration) error { return nil }))
	_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(2), n.Load())
}

// hostileForms are the ways a server may echo a secret.
func hostileForms(secret string) []string {
	j, _ := json.Marshal(secret)
	return []string{secret, string(j[1 : len(j)-1]), url.QueryEscape(secret), url.PathEscape(secret), html.EscapeString(secret)}
}

// The token endpoint's error_description echoing the client secret does
// not carry it into the error.
func TestTokenErrorDescriptionIsScrubbed(t *testing.T) {
	const secret = "cl<ient>&secret/42"
	basic := base64.StdEncoding.EncodeToString([]byte(alidafake.DemoClientID + ":" + url.QueryEscape(secret)))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		desc := "refused " + strings.Join(hostileForms(secret), " ") + " sent " + r.Header.Get("Authorization") + " " + basic
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": "invalid_client " + secret, "error_description": desc})
	}))
	t.Cleanup(srv.Close)
	api := oauthClient(t, srv, secret)
	_, err := api.CollectQueued(t.Context(), time.Time{}, nil)
	require.ErrorIs(t, err, alida.ErrUnauthorized)
	var apiErr *alida.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Message, "refused [redacted]")
	for _, text := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", apiErr)} {
		for _, f := range append(hostileForms(secret), basic, "secret/42", "secret%2F42") {
			assert.NotContains(t, text, f)
		}
	}
}

// API answers echoing the credentials: a 401 whose message repeats the
// Authorization header, a 403 HTML page with the decoded password, a
// developerMessage with the password escaped.
func TestAPIErrorsAreScrubbed(t *testing.T) {
	const user, password = "report-user", "pa<ss>&word/7"
	basic := base64.StdEncoding.EncodeToString([]byte(user + ":" + password))
	answers := map[string]func(w http.ResponseWriter, r *http.Request){
		"401 message echoes Authorization": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"status": 401, "message": "bad header " + r.Header.Get("Authorization"),
				"developerMessage": "decoded " + user + ":" + password + " " + strings.Join(hostileForms(password), " "),
				"errorId":          "e-" + basic})
		},
		"403 HTML page": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(http.StatusForbidden)
			_, _ = fmt.Fprintf(w, "<html><p>user %s password %s</p></html>", user, html.EscapeString(password))
		},
		"403 plain page": func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusForbidden)
			_, _ = fmt.Fprintf(w, "password %s", password)
		},
	}
	for name, answer := range answers {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(answer))
			t.Cleanup(srv.Close)
			api, err := alida.New(alidafake.DemoCommunity, alida.BasicAuth(user, password), alida.WithBaseURL(srv.URL))
			require.NoError(t, err)
			_, err = api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{invite(alice)})
			require.Error(t, err)
			var apiErr *alida.APIError
			require.ErrorAs(t, err, &apiErr)
			text := err.Error() + fmt.Sprintf("%+v %#v", err, apiErr)
			assert.Contains(t, text, "[redacted]")
			for _, f := range append(hostileForms(password), basic, "word/7", "word%2F7") {
				assert.NotContains(t, text, f)
			}
		})
	}
}

// No formatting verb shows the credentials a client holds.
func TestClientFormattingHidesCredentials(t *testing.T) {
	const secret = "formatting-secret-5c1f"
	_, srv := startDemo(t)
	for _, auth := range []alida.Auth{alida.BasicAuth("user", secret), alida.ClientCredentials("client", secret, "")} {
		api, err := alida.New(alidafake.DemoCommunity, auth, alida.WithBaseURL(srv.URL))
		require.NoError(t, err)
		inHex := hex.EncodeToString([]byte(secret)) // what %x would show
		for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t"} {
			for _, v := range []any{api, *api, auth} {
				text := fmt.Sprintf(verb, v)
				assert.NotContains(t, text, secret, verb)
				assert.NotContains(t, strings.ToLower(text), inHex, verb)
			}
		}
	}
}
