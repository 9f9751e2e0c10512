package signing

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

// The string to sign is built byte by byte and lowercased eight bytes at a
// time; it must equal the plain definition (concatenate, strings.ToLower)
// for any input.
func FuzzStringToSignMatchesDefinition(f *testing.F) {
	f.Add("POST", "D41D8CD9", "Application/JSON", "", "/api/1.0/Event?action=inviteContacts", "IVVY-Date", "2012-04-03 22:23:24", "Ivvy_Zeta", "Z,Y")
	f.Add("post", "", "", "Tue, 03 Apr 2012", "/", "\u0130VVY-X", "ÄÖ", "ivvy-a", "")
	f.Add("POST", "m", "t", "", "/p?Q=ÄBC", "IVVY-A-B", "v", "IVVY_AB", "w")
	f.Fuzz(func(t *testing.T, method, bodyMD5, contentType, date, uri, name1, value1, name2, value2 string) {
		h := http.Header{}
		h[name1] = []string{value1}
		h[name2] = append(h[name2], value2, value1)
		want := unicodeStringToSign(method, bodyMD5, contentType, date, uri, h)
		// Names that clean alike included: both paths order them by value.
		assert.Equal(t, want, IvvyStringToSign(method, bodyMD5, contentType, date, uri, h))
	})
}

func TestEditSignsWhatTheDefinitionSays(t *testing.T) {
	for name, tc := range map[string]struct{ url, contentType string }{
		"ascii":           {"https://h.test/api/1.0/Event?action=inviteContacts", "Application/JSON"},
		"escaped path":    {"https://h.test/api/1.0/a%20b?x=%41", "application/json"},
		"beyond ascii":    {"https://h.test/api/1.0/event?q=ÄÖ", "text/plain; charset=ÜTF"},
		"no query":        {"https://h.test/api/1.0/event", ""},
		"forced query":    {"https://h.test/api/1.0/event?", "application/json"},
		"opaque-ish path": {"https://h.test", "application/json"},
	} {
		t.Run(name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, tc.url, strings.NewReader(`{"a":1}`))
			require.NoError(t, err)
			if tc.contentType != "" {
				req.Header.Set("Content-Type", tc.contentType)
			}
			req.Header.Set("IVVY-Custom", "Some Value")
			req.Header.Set("Date", "Tue, 03 Apr 2012 22:23:24 GMT")
			require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(docTime)).Edit(context.Background(), req))

			assert.Empty(t, req.Header.Values("Date"))
			assert.Equal(t, []string{"2012-04-03 22:23:24"}, req.Header.Values(IvvyDateHeader))
			md5 := req.Header.Get(ContentMD5Header)
			want := unicodeStringToSign("POST", md5, tc.contentType, "", req.URL.RequestURI(), req.Header)
			assert.Contains(t, want, "ivvycustom=some value&ivvydate=2012-04-03 22:23:24")
			assert.Equal(t, []string{"IWS k:" + IvvySignature("s", want)}, req.Header.Values(IvvyAuthHeader))
		})
	}
}

func TestEditUsesTheClockOfEachRequest(t *testing.T) {
	// The date is formatted once per second and reused: a signer must
	// still date each request with its own second.
	now := docTime
	s := NewIvvy("k", redact.Secret("s"), func() time.Time { return now })
	var dates []string
	for _, step := range []time.Duration{0, 0, time.Second, time.Hour, -time.Hour} {
		now = now.Add(step)
		req, err := http.NewRequest(http.MethodPost, "https://h.test/api/1.0/test?action=ping", nil)
		require.NoError(t, err)
		require.NoError(t, s.Edit(context.Background(), req))
		dates = append(dates, req.Header.Get(IvvyDateHeader))
	}
	assert.Equal(t, []string{"2012-04-03 22:23:24", "2012-04-03 22:23:24", "2012-04-03 22:23:25", "2012-04-03 23:23:25", "2012-04-03 22:23:25"}, dates)
}

func TestLowerASCIIMatchesBytesToLower(t *testing.T) {
	for n := 1; n <= 17; n++ {
		for pos := 0; pos < n; pos++ {
			for c := 0; c < 0x80; c++ {
				b := []byte(strings.Repeat("aZ", n)[:n])
				b[pos] = byte(c)
				want := strings.ToLower(string(b))
				require.True(t, lowerASCII(b))
				require.Equal(t, want, string(b), "byte %#x at %d of %d", c, pos, n)
			}
			b := []byte(strings.Repeat("A", n))
			b[pos] = 0xc3
			assert.False(t, lowerASCII(b), "a byte beyond ASCII at %d of %d", pos, n)
		}
	}
}

// appendRequestURI skips net/url's escaping for a path that needs none; it
// must still give what RequestURI gives for any URL.
func FuzzAppendRequestURIMatchesRequestURI(f *testing.F) {
	for _, s := range []string{
		"https://h.test/api/1.0/event?action=inviteContacts",
		"https://h.test/a%20b/c?x=%41",
		"https://h.test/a b/ÄÖ?q",
		"https://h.test/a;b,c$d&e+f=g:h@i~j",
		"https://h.test",
		"https://h.test?",
		"https://h.test/%2F%2f",
		"https://h.test/a?b",
		"*",
		"mailto:x@y",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := url.Parse(raw)
		if err != nil {
			return
		}
		assert.Equal(t, u.RequestURI(), string(appendRequestURI(nil, u)), "%q", raw)
		// A URL built in code, with Path set and no RawPath.
		v := &url.URL{Scheme: "https", Host: "h.test", Path: raw}
		assert.Equal(t, v.RequestURI(), string(appendRequestURI(nil, v)), "path %q", raw)
	})
}

// Header values are cut from shared chunks: signing more requests than a
// chunk holds, one after another and at once, must leave every earlier
// request's values as they were signed.
func TestHeaderValuesOutliveTheirChunk(t *testing.T) {
	secrets := func(k string) (string, bool) { return "s", k == "k" }
	s := NewIvvy("k", redact.Secret("s"), fixedClock(docTime))
	sign := func(i int) *http.Request {
		req, err := http.NewRequest(http.MethodPost, "https://h.test/api/1.0/event?action=ping", strings.NewReader(strings.Repeat("x", i)))
		require.NoError(t, err)
		require.NoError(t, s.Edit(context.Background(), req))
		return req
	}
	verify := func(t *testing.T, i int, req *http.Request) {
		body := []byte(strings.Repeat("x", i))
		assert.NoError(t, VerifyIvvy(req, body, secrets, docTime), "request %d", i)
	}
	const n = 3 * textChunk / 100 // several chunks' worth
	t.Run("in turn", func(t *testing.T) {
		reqs := make([]*http.Request, n)
		for i := range reqs {
			reqs[i] = sign(i)
		}
		for i, req := range reqs {
			verify(t, i, req)
		}
		// Each value is its own 1-element slice: appending to one
		// cannot write into another's.
		v := reqs[0].Header.Values(ContentMD5Header)
		assert.Equal(t, 1, cap(v))
		reqs[0].Header.Add(ContentMD5Header, "extra")
		verify(t, 1, reqs[1])
	})
	t.Run("at once", func(t *testing.T) {
		reqs := make([]*http.Request, n)
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Go(func() {
				for i := g; i < n; i += 4 {
					reqs[i] = sign(i)
				}
			})
		}
		wg.Wait()
		for i, req := range reqs {
			verify(t, i, req)
		}
	})
}

func TestEditTakesARequestBuiltByHand(t *testing.T) {
	s := NewIvvy("k", redact.Secret("s"), fixedClock(docTime))
	u, err := url.Parse("https://h.test/api/1.0/event?action=ping")
	require.NoError(t, err)
	req := &http.Request{Method: http.MethodPost, URL: u} // no Header map, no Body
	require.NoError(t, s.Edit(context.Background(), req))
	require.NoError(t, VerifyIvvy(req, nil, func(string) (string, bool) { return "s", true }, docTime))

	err = s.Edit(context.Background(), &http.Request{Method: http.MethodPost})
	require.ErrorContains(t, err, "no URL")
}
