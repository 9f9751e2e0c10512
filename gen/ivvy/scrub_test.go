package ivvy_test

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
)

// An exception whose message and additional messages echo the request's
// "IWS key:signature" (replayable for minutes), the signature alone or the
// API secret, in any spelling, does not carry them into the error.
func TestExceptionEchoingCredentialsIsScrubbed(t *testing.T) {
	const key, secret = "echo-key", "s3cret/<api>&key"
	var sigs []string
	for name, status := range map[string]int{"HTTP 401": http.StatusUnauthorized, "HTTP 200": http.StatusOK, "not an exception": http.StatusBadGateway} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				auth := r.Header.Get("X-Api-Authorization")
				_, sig, _ := strings.Cut(auth, ":")
				sigs = append(sigs, sig)
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(status)
				if status == http.StatusBadGateway {
					_, _ = fmt.Fprintf(w, "<html>upstream refused %s with %s; secret %s</html>", auth, strings.ToUpper(sig), url.QueryEscape(secret))
					return
				}
				_ = json.NewEncoder(w).Encode(map[string]any{
					"errorCode": 401, "specificCode": 23001,
					"message": "Signature mismatch for " + auth + ", expected " + strings.ToUpper(sig),
					"additionalMessages": []string{"signature " + sig, "key:sig " + strings.TrimPrefix(auth, "IWS "),
						"secret " + secret, `escaped "` + strings.ReplaceAll(secret, "/", `\/`) + `"`},
				})
			}))
			t.Cleanup(srv.Close)
			api, err := ivvy.New(key, secret, ivvy.WithBaseURL(srv.URL), ivvy.WithMaxAttempts(1))
			require.NoError(t, err)
			_, err = api.Ping(t.Context())
			require.Error(t, err)
			var apiErr *ivvy.APIError
			require.ErrorAs(t, err, &apiErr)
			text := err.Error() + fmt.Sprintf("\n%+v\n%#v", err, apiErr)
			assert.Contains(t, text, "[redacted]")
			require.NotEmpty(t, sigs)
			sig := sigs[len(sigs)-1]
			require.Len(t, sig, 40)
			for _, leak := range []string{sig, strings.ToUpper(sig), key + ":" + sig, secret, "s3cret", "s3cret%2F"} {
				assert.NotContains(t, text, leak)
			}
			if status != http.StatusBadGateway {
				assert.Len(t, apiErr.AdditionalMessages, 4)
				assert.Equal(t, "signature [redacted]", apiErr.AdditionalMessages[0])
			}
		})
	}
}

// No formatting verb shows the secret the client keeps for scrubbing.
func TestAPIFormattingHidesTheSecret(t *testing.T) {
	const secret = "formatting-secret-9d2e"
	api, err := ivvy.New("key", secret, ivvy.WithBaseURL("https://example.test"))
	require.NoError(t, err)
	inHex := hex.EncodeToString([]byte(secret)) // what %x would show
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d"} {
		for _, v := range []any{api, *api} {
			text := fmt.Sprintf(verb, v)
			assert.NotContains(t, text, secret, verb)
			assert.NotContains(t, strings.ToLower(text), inHex, verb)
		}
	}
}
