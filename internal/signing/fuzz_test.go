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

// FuzzIvvySigner signs arbitrary bodies, methods, paths, content types and
// extra headers: the signer must never panic, must leave the body whole,
// and its signature must verify with the same secret (the verifier builds
// the string to sign the plain way, so this also holds the signer's fast
// paths to the definition).
func FuzzIvvySigner(f *testing.F) {
	f.Add([]byte(docBody), "POST", "/api/1.0/test?action=ping", "application/json", "", "", "secret", int64(0))
	f.Add([]byte{}, "post", "/api/1.0/event?action=inviteContacts", "", "IVVY-Custom", "Some Value", "s", int64(1700000000))
	f.Add([]byte("\x00\xff{\"a\":1}"), "POST", "/api/1.0/contact?action=getContact&x=%41", "Application/JSON; charset=UTF-8", "ivvy_b", "Ä", "ÄÖÜ", int64(-1))
	f.Add([]byte("{}"), "PÖST", "/api/1.0/A%20B/ÄÖ", "text/plain", "\u0130vvy-x", "v", "s", int64(5))
	f.Add([]byte("{}"), "POST", "/api/1.0/event", "application/json", "Date", "Tue, 03 Apr 2012 22:23:24 GMT", "s", int64(5))
	f.Add([]byte("{}"), "POST", "/api/1.0/event", "application/json", "Ivvy-Date", "1999-01-01 00:00:00", "s", int64(5))
	f.Fuzz(func(t *testing.T, body []byte, method, path, contentType, name, value, secret string, unix int64) {
		if secret == "" {
			return
		}
		req, err := http.NewRequest(method, "https://api.example.test"+path, bytes.NewReader(body))
		if err != nil {
			return
		}
		if contentType != "" {
			req.Header["Content-Type"] = []string{contentType}
		}
		if name != "" && name != "Content-Type" {
			req.Header[name] = []string{value}
		}
		if isMultipart(contentType) {
			return // an upload is signed another way (multipart_test.go)
		}
		now := time.Unix(unix%(1<<40), 0)
		s := NewIvvy("key", redact.Secret(secret), func() time.Time { return now })
		require.NoError(t, s.Edit(context.Background(), req))
		require.Regexp(t, sigPattern, req.Header.Get(IvvyAuthHeader))
		require.Empty(t, req.Header["Date"], "Date is replaced by IVVY-Date")
		got := new(bytes.Buffer)
		if req.Body != nil {
			_, _ = got.ReadFrom(req.Body)
		}
		require.Equal(t, string(body), got.String(), "body changed by signing")
		require.NoError(t, VerifyIvvy(req, body, func(string) (string, bool) { return secret, true }, now))
	})
}
