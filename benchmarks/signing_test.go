package benchmarks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/httpx"
	"github.com/invitekit/invitekit/internal/redact"
	"github.com/invitekit/invitekit/internal/signing"
)

const (
	benchKey    = "bench-key"
	benchSecret = "bench-secret"
	inviteURL   = "https://api.ap-southeast-2.ivvy.com/api/1.0/event?action=inviteContacts"
)

// kibBody is an inviteContacts body of exactly 1024 bytes.
func kibBody() []byte {
	var b bytes.Buffer
	b.WriteString(`{"event":4,"contacts":[`)
	for id := 100001; ; id++ {
		item := fmt.Sprint(id)
		if id > 100001 {
			item = "," + item
		}
		if b.Len()+len(item)+len(`]}`) > 1024 {
			break
		}
		b.WriteString(item)
	}
	b.WriteString(`]`)
	for b.Len() < 1023 {
		b.WriteByte(' ')
	}
	b.WriteString(`}`)
	return b.Bytes()
}

// preparedRequest is the request the signer sees: a POST with a JSON body
// that can be replayed (GetBody), as http.NewRequest and the HTTP layer
// build it.
func preparedRequest(tb testing.TB, body []byte) *http.Request {
	tb.Helper()
	req, err := http.NewRequest(http.MethodPost, inviteURL, bytes.NewReader(body))
	require.NoError(tb, err)
	req.Header.Set("Content-Type", "application/json")
	return req
}

// stringToSign returns the string the signer hashed for a signed request.
func stringToSign(req *http.Request) string {
	return signing.IvvyStringToSign(req.Method, req.Header.Get(signing.ContentMD5Header),
		req.Header.Get("Content-Type"), "", req.URL.RequestURI(), req.Header)
}

func TestSignedBenchmarkRequestsVerifyAndKeepTheirBody(t *testing.T) {
	body := kibBody()
	require.Len(t, body, 1024)
	secrets := func(k string) (string, bool) { return benchSecret, k == benchKey }
	for name, prep := range map[string]func(testing.TB, []byte) *http.Request{"doer": doerRequest, "newrequest": preparedRequest} {
		t.Run(name, func(t *testing.T) {
			req := prep(t, body)
			s := signing.NewIvvy(benchKey, redact.Secret(benchSecret), nil)
			for range 3 { // the benchmark signs the same request again and again
				require.NoError(t, s.Edit(t.Context(), req))
			}
			require.Equal(t, int64(len(body)), req.ContentLength)
			got, err := io.ReadAll(req.Body)
			require.NoError(t, err)
			require.Equal(t, body, got, "the body reaches the server whole")
			require.NoError(t, signing.VerifyIvvy(req, got, secrets, time.Now()))
			require.ErrorIs(t, signing.VerifyIvvy(req, append(got[:len(got):len(got)], ' '), secrets, time.Now()), signing.ErrIvvyBadMD5)
		})
	}
}

var errCaptured = errors.New("captured")

// doerRequest returns the request the HTTP layer hands to the signer for a
// POST of body: a Doer whose only final editor keeps the request and stops
// the call before anything is sent.
func doerRequest(tb testing.TB, body []byte) *http.Request {
	tb.Helper()
	var got *http.Request
	doer := httpx.New(httpx.Config{Final: []httpx.Editor{func(_ context.Context, req *http.Request) error {
		got = req
		return errCaptured
	}}})
	_, err := doer.Do(preparedRequest(tb, body))
	require.ErrorIs(tb, err, errCaptured)
	require.NotNil(tb, got)
	return got
}

// BenchmarkSignIvvy signs a request with a 1 KiB body, again and again:
// "doer" is the request as invitekit's HTTP layer hands it to the signer on
// every attempt, "newrequest" one built with http.NewRequest over a
// bytes.Reader (the body is then hashed from GetBody). The floor is the
// hashing the iVvy scheme cannot avoid: the md5 of the body and one
// HMAC-SHA1 (keyed once, reset per use, summed into a reused buffer) of a
// string as long as the string to sign.
func BenchmarkSignIvvy(b *testing.B) {
	body := kibBody()
	for _, prep := range []struct {
		name string
		req  func(testing.TB, []byte) *http.Request
	}{{"doer", doerRequest}, {"newrequest", preparedRequest}} {
		b.Run(prep.name, func(b *testing.B) {
			req := prep.req(b, body)
			s := signing.NewIvvy(benchKey, redact.Secret(benchSecret), nil)
			ctx := b.Context()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if err := s.Edit(ctx, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("floor", func(b *testing.B) {
		req := preparedRequest(b, body)
		if err := signing.NewIvvy(benchKey, redact.Secret(benchSecret), nil).Edit(b.Context(), req); err != nil {
			b.Fatal(err)
		}
		sts := []byte(stringToSign(req))
		mac := hmac.New(sha1.New, []byte(benchSecret))
		out := make([]byte, 0, sha1.Size)
		var sink byte
		b.SetBytes(int64(len(body)))
		b.ReportAllocs()
		for b.Loop() {
			sum := md5.Sum(body)
			mac.Reset()
			mac.Write(sts)
			out = mac.Sum(out[:0])
			sink ^= sum[0] ^ out[0]
		}
		_ = sink
	})
}
