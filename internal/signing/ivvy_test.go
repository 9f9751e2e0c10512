package signing

import (
	"bytes"
	"context"
	"crypto/md5"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

// The worked example of the iVvy signing documentation.
const (
	docBody         = `{"example":"body"}`
	docBodyMD5      = "a09f600c77a6dbd947db24c61e8935ca"
	docStringToSign = "posta09f600c77a6dbd947db24c61e8935caapplication/json/api/1.0/test?action=ping1.0ivvydate=2012-04-03 22:23:24"
)

var docTime = time.Date(2012, 4, 3, 22, 23, 24, 0, time.UTC)

func fixedClock(t time.Time) func() time.Time { return func() time.Time { return t } }

func newRequest(t *testing.T, body string) *http.Request {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(http.MethodPost, "https://api.ap-southeast-2.ivvy.com/api/1.0/test?action=ping", r)
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

func TestStringToSignMatchesDocExample(t *testing.T) {
	sum := md5.Sum([]byte(docBody))
	require.Equal(t, docBodyMD5, hex.EncodeToString(sum[:]), "the example's md5 is of the compact body")

	h := http.Header{}
	h.Set(IvvyDateHeader, "2012-04-03 22:23:24")
	got := IvvyStringToSign("POST", docBodyMD5, "application/json", "", "/api/1.0/test?action=ping", h)
	assert.Equal(t, docStringToSign, got)
}

func TestEditSignsTheDocExampleByteForByte(t *testing.T) {
	// Sign the documented request with a recording of what the signer hashed:
	// the signature must equal HMAC-SHA1 of the documented string to sign.
	req := newRequest(t, docBody)
	s := NewIvvy("my-key", redact.Secret("foo"), fixedClock(docTime))
	require.NoError(t, s.Edit(context.Background(), req))

	assert.Equal(t, "2012-04-03 22:23:24", req.Header.Get(IvvyDateHeader))
	assert.Equal(t, docBodyMD5, req.Header.Get(ContentMD5Header))
	want := "IWS my-key:" + IvvySignature("foo", docStringToSign)
	assert.Equal(t, want, req.Header.Get(IvvyAuthHeader))
	// Computed independently with openssl over the documented string.
	assert.Equal(t, "IWS my-key:8c7a8f2bcd32aa06d9c4097653bee4106b64fe81", req.Header.Get(IvvyAuthHeader))
}

func TestHMACVectorFromDocs(t *testing.T) {
	assert.Equal(t, "a993876ea1218921a1c8551923473da7b310dfae", IvvySignature("my secret key", "string to sign"))
	assert.NotEqual(t, "a993876ea1218921a1c8551923473da7b310dfae", IvvySignature("my secret key!", "string to sign"))
}

func TestSignatureIsLowercaseHexInIWSScheme(t *testing.T) {
	req := newRequest(t, docBody)
	require.NoError(t, NewIvvy("AbCkey", redact.Secret("s3cr3t"), fixedClock(docTime)).Edit(context.Background(), req))
	assert.Regexp(t, regexp.MustCompile(`^IWS AbCkey:[0-9a-f]{40}$`), req.Header.Get(IvvyAuthHeader))
}

func TestEmptyBodySignsEmptyMD5(t *testing.T) {
	req := newRequest(t, "")
	require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(docTime)).Edit(context.Background(), req))
	assert.Equal(t, "d41d8cd98f00b204e9800998ecf8427e", req.Header.Get(ContentMD5Header))
	h := http.Header{}
	h.Set(IvvyDateHeader, "2012-04-03 22:23:24")
	sts := IvvyStringToSign("POST", "d41d8cd98f00b204e9800998ecf8427e", "", "", "/api/1.0/test?action=ping", h)
	assert.Equal(t, "IWS k:"+IvvySignature("s", sts), req.Header.Get(IvvyAuthHeader))
}

func TestContentTypeSignedIsTheOneSent(t *testing.T) {
	sign := func(ct string) string {
		req := newRequest(t, docBody)
		req.Header.Set("Content-Type", ct)
		require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(docTime)).Edit(context.Background(), req))
		assert.Equal(t, ct, req.Header.Get("Content-Type"), "the signer must not change Content-Type")
		return req.Header.Get(IvvyAuthHeader)
	}
	plain, charset := sign("application/json"), sign("application/json; charset=utf-8")
	assert.NotEqual(t, plain, charset)

	h := http.Header{}
	h.Set(IvvyDateHeader, "2012-04-03 22:23:24")
	sts := IvvyStringToSign("POST", docBodyMD5, "application/json; charset=utf-8", "", "/api/1.0/test?action=ping", h)
	assert.Equal(t, "IWS k:"+IvvySignature("s", sts), charset)
}

func TestBodyReachesServerWholeAfterHashing(t *testing.T) {
	body := `{"event":4,"contacts":[1,2,3],"note":"` + strings.Repeat("x", 70000) + `"}`
	var got []byte
	var gotHeader http.Header
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ = io.ReadAll(r.Body)
		gotHeader = r.Header.Clone()
	}))
	defer srv.Close()
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/1.0/event?action=inviteContacts", bytes.NewBufferString(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	s := NewIvvy("k", redact.Secret("s"), fixedClock(time.Now()))
	require.NoError(t, s.Edit(context.Background(), req))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	assert.Equal(t, body, string(got))
	assert.Empty(t, gotHeader.Get("Date"), "no Date header is sent")
	require.NoError(t, VerifyIvvy(&http.Request{Method: "POST", URL: req.URL, Header: gotHeader}, got,
		func(string) (string, bool) { return "s", true }, time.Now()))
}

func TestAnotherClockGivesAnotherSignature(t *testing.T) {
	sign := func(at time.Time) (string, string) {
		req := newRequest(t, docBody)
		require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(at)).Edit(context.Background(), req))
		return req.Header.Get(IvvyAuthHeader), req.Header.Get(IvvyDateHeader)
	}
	a, da := sign(docTime)
	b, db := sign(docTime.Add(time.Second))
	assert.NotEqual(t, a, b)
	assert.NotEqual(t, da, db)
}

func TestIvvyDateIsUTCAndDateHeaderRemoved(t *testing.T) {
	sydney := time.FixedZone("AEST", 10*3600)
	req := newRequest(t, docBody)
	req.Header.Set("Date", "Tue, 03 Apr 2012 22:23:24 GMT")
	require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(time.Date(2012, 4, 4, 8, 23, 24, 0, sydney))).Edit(context.Background(), req))
	assert.Equal(t, "2012-04-03 22:23:24", req.Header.Get(IvvyDateHeader))
	assert.Empty(t, req.Header.Get("Date"))
}

func TestSeveralIvvyHeadersAreSortedAndJoined(t *testing.T) {
	h := http.Header{}
	h.Set("IVVY-Date", "2012-04-03 22:23:24")
	h.Set("IVVY_Zeta", "Z")
	h.Set("Ivvy-Alpha", "A")
	got := IvvyStringToSign("POST", "m", "t", "", "/p", h)
	assert.True(t, strings.HasSuffix(got, "1.0ivvyalpha=a&ivvydate=2012-04-03 22:23:24&ivvyzeta=z"), got)
}

// A header that the string to sign would read as a second IVVY-Date
// (another spelling of the name) is removed with the Date header: the
// signer sets the one date it signs.
func TestOtherSpellingsOfIvvyDateAreReplaced(t *testing.T) {
	when := time.Date(2012, 4, 3, 22, 23, 24, 0, time.UTC)
	for _, name := range []string{"IVVY-DATE", "IvvYDATe", "ivvy_date", "\u0130vvy-Date"} {
		t.Run(name, func(t *testing.T) {
			req := newRequest(t, docBody)
			req.Header[name] = []string{"1999-01-01 00:00:00"}
			require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(when)).Edit(context.Background(), req))
			assert.NotContains(t, req.Header, name)
			assert.Equal(t, []string{"2012-04-03 22:23:24"}, req.Header[http.CanonicalHeaderKey(IvvyDateHeader)])
			require.NoError(t, VerifyIvvy(req, []byte(docBody), func(string) (string, bool) { return "s", true }, when))
		})
	}
}

// Two IVVY headers whose names clean alike are ordered by value, the same
// way by the signer and by the string to sign that checks it.
func TestIvvyHeadersThatCleanAlikeAreOrderedByValue(t *testing.T) {
	when := time.Date(2012, 4, 3, 22, 23, 24, 0, time.UTC)
	req := newRequest(t, docBody)
	req.Header["IVVY-X"] = []string{"b"}
	req.Header["Ivvy_X"] = []string{"A"}
	require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(when)).Edit(context.Background(), req))
	got := IvvyStringToSign(req.Method, req.Header.Get(ContentMD5Header), req.Header.Get("Content-Type"), "", req.URL.RequestURI(), req.Header)
	assert.True(t, strings.HasSuffix(got, "ivvydate=2012-04-03 22:23:24&ivvyx=a&ivvyx=b"), got)
	require.NoError(t, VerifyIvvy(req, []byte(docBody), func(string) (string, bool) { return "s", true }, when))
}

func TestEditRequiresCredentials(t *testing.T) {
	assert.Error(t, NewIvvy("", redact.Secret("s"), nil).Edit(context.Background(), newRequest(t, "")))
	assert.Error(t, NewIvvy("k", "", nil).Edit(context.Background(), newRequest(t, "")))
}

func TestVerifyIvvyRefuses(t *testing.T) {
	now := docTime
	secrets := func(key string) (string, bool) { return "s", key == "k" }
	signed := func() (*http.Request, []byte) {
		req := newRequest(t, docBody)
		require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(now)).Edit(context.Background(), req))
		return req, []byte(docBody)
	}
	req, body := signed()
	require.NoError(t, VerifyIvvy(req, body, secrets, now))

	assert.ErrorIs(t, VerifyIvvy(req, body, secrets, now.Add(6*time.Minute)), ErrIvvyStale)
	assert.ErrorIs(t, VerifyIvvy(req, body, secrets, now.Add(-6*time.Minute)), ErrIvvyStale)
	assert.ErrorIs(t, VerifyIvvy(req, []byte(`{"example":"bodx"}`), secrets, now), ErrIvvyBadMD5)

	req, body = signed()
	req.Header.Set(IvvyAuthHeader, strings.Replace(req.Header.Get(IvvyAuthHeader), "IWS k:", "IWS other:", 1))
	assert.ErrorIs(t, VerifyIvvy(req, body, secrets, now), ErrIvvyUnknownKey)

	req, body = signed()
	sig := req.Header.Get(IvvyAuthHeader)
	req.Header.Set(IvvyAuthHeader, sig[:len(sig)-1]+"0")
	if sig[len(sig)-1] == '0' {
		req.Header.Set(IvvyAuthHeader, sig[:len(sig)-1]+"1")
	}
	assert.ErrorIs(t, VerifyIvvy(req, body, secrets, now), ErrIvvyBadSignature)

	req, body = signed()
	req.Header.Del(IvvyAuthHeader)
	assert.ErrorIs(t, VerifyIvvy(req, body, secrets, now), ErrIvvyMalformed)
}
