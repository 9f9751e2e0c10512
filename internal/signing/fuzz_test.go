package signing

import (
	"bytes"
	"context"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

var sigPattern = regexp.MustCompile(`^IWS [^:]+:[0-9a-f]{40}$`)

// FuzzIvvySigner signs arbitrary bodies, paths and content types: the
// signer must never panic, must leave the body whole, and its signature must
// verify with the same secret.
func FuzzIvvySigner(f *testing.F) {
	f.Add([]byte(docBody), "/api/1.0/test?action=ping", "application/json", "secret", int64(0))
	f.Add([]byte{}, "/api/1.0/event?action=inviteContacts", "", "s", int64(1700000000))
	f.Add([]byte("\x00\xff{\"a\":1}"), "/api/1.0/contact?action=getContact&x=%41", "Application/JSON; charset=UTF-8", "ÄÖÜ", int64(-1))
	f.Fuzz(func(t *testing.T, body []byte, path, contentType, secret string, unix int64) {
		if secret == "" {
			return
		}
		req, err := http.NewRequest(http.MethodPost, "https://api.example.test"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		if contentType != "" {
			req.Header["Content-Type"] = []string{contentType}
		}
		now := time.Unix(unix%(1<<40), 0)
		s := NewIvvy("key", redact.Secret(secret), func() time.Time { return now })
		require.NoError(t, s.Edit(context.Background(), req))
		require.Regexp(t, sigPattern, req.Header.Get(IvvyAuthHeader))
		got := new(bytes.Buffer)
		if req.Body != nil {
			_, _ = got.ReadFrom(req.Body)
		}
		require.Equal(t, string(body), got.String(), "body changed by signing")
		require.NoError(t, VerifyIvvy(req, body, func(string) (string, bool) { return secret, true }, now))
	})
}
