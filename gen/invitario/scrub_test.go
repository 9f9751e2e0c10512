package invitario_test

import (
	"bytes"
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

	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/internal/redact"
)

// echoServer answers login with a session token and every call with an
// error whose messages and display message repeat the credentials it
// received, JSON-encoded by Go (which writes <, > and & as \u003c ...).
func echoServer(t *testing.T, token string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var in struct {
			APIKey       string `json:"apiKey"`
			SessionToken string `json:"sessionToken"`
		}
		_ = json.Unmarshal(body, &in)
		w.Header().Set("Content-Type", "application/json")
		if strings.HasSuffix(r.URL.Path, "/login") && in.APIKey != "" && token != "" {
			_ = json.NewEncoder(w).Encode(map[string]any{"status": "success", "sessionToken": token,
				"stationName": "Gate", "event": map[string]any{"id": "1", "name": "E"}})
			return
		}
		echoed := in.APIKey + in.SessionToken
		_ = json.NewEncoder(w).Encode(map[string]any{
			"status":         "error",
			"displayMessage": "Refused " + echoed + " (" + url.QueryEscape(echoed) + ")",
			"errors": []map[string]any{
				{"code": 1010, "message": "API key incorrect: " + echoed},
				{"code": 30, "message": "token " + url.PathEscape(echoed)},
			},
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

func errorText(t *testing.T, err error) string {
	t.Helper()
	require.Error(t, err)
	var apiErr *invitario.APIError
	require.ErrorAs(t, err, &apiErr)
	return err.Error() + fmt.Sprintf("\n%v\n%+v\n%#v", err, err, apiErr)
}

// An app code with <, > or & comes back JSON-escaped; it is scrubbed all
// the same, as is a session token echoed in a guest list error.
func TestEchoedCredentialsAreScrubbedInEveryForm(t *testing.T) {
	const appCode = `A<pp>&Code/42`
	const token = "tok<en>&session-99"
	for _, tc := range []struct{ name, token, secret string }{
		{"app code at login", "", appCode},
		{"session token in a list", token, token},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := echoServer(t, tc.token)
			api := newAPI(t, srv.URL, invitario.Credentials{EventID: "1", AppCode: invitario.Secret(appCode), Station: "Gate"})
			_, err := countGuests(api, t)
			text := errorText(t, err)
			assert.Contains(t, text, redact.Placeholder)
			var esc bytes.Buffer
			_ = json.NewEncoder(&esc).Encode(tc.secret)
			for _, leak := range []string{tc.secret, strings.Trim(strings.TrimSpace(esc.String()), `"`),
				url.QueryEscape(tc.secret), url.PathEscape(tc.secret), "Code/42", "session-99"} {
				assert.NotContains(t, text, leak)
			}
		})
	}
}

// A secret too short to cut out of text without mangling it withholds the
// whole message that contains it.
func TestShortAppCodeWithholdsTheMessage(t *testing.T) {
	srv := echoServer(t, "")
	api := newAPI(t, srv.URL, invitario.Credentials{EventID: "1", AppCode: "Z&", Station: "Gate"})
	_, err := countGuests(api, t)
	require.ErrorIs(t, err, invitario.ErrInvalidAppCode)
	text := errorText(t, err)
	assert.Contains(t, text, redact.Withheld)
	assert.NotContains(t, text, "Z&")
	assert.NotContains(t, text, `Z\u0026`)
	assert.NotContains(t, text, "Z%26")
}

// No formatting verb shows the app code or the session token of an open
// session.
func TestFormattingHidesCredentialsWhateverTheVerb(t *testing.T) {
	const token = "session-token-for-formatting"
	srv := echoServer(t, token)
	const appCode = "app-code-for-formatting"
	api := newAPI(t, srv.URL, invitario.Credentials{EventID: "1", AppCode: appCode, Station: "Gate"})
	_, err := api.Login(t.Context())
	require.NoError(t, err)
	creds := invitario.Credentials{EventID: "1", AppCode: appCode}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t"} {
		for _, v := range []any{api, creds, &creds} {
			text := fmt.Sprintf(verb, v)
			for _, secret := range []string{token, appCode} {
				assert.NotContains(t, text, secret, verb)
				assert.NotContains(t, strings.ToLower(text), hex.EncodeToString([]byte(secret)), "%s, in hex", verb)
			}
		}
	}
}
