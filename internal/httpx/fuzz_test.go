package httpx

import (
	"net/http"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzRetryAfter: any header value parses without panicking, and a value
// that parses is never negative.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "120", "Wed, 21 Oct 2015 07:28:00 GMT", "-5", "1e9", "", " 7 ", "Sun, 06 Nov 1994 08:49:37 GMT"} {
		f.Add(s)
	}
	now := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := RetryAfter(http.Header{"Retry-After": {v}}, now)
		if ok && d < 0 {
			t.Fatalf("Retry-After %q gave a negative delay %v", v, d)
		}
	})
}

// FuzzExcerpt: an excerpt is valid UTF-8 and never longer than n+3 bytes.
func FuzzExcerpt(f *testing.F) {
	f.Add([]byte("<html>bad gateway</html>"), 10)
	f.Add([]byte("0000\x960\x8b\xe2\xfb000"), 5)
	f.Add([]byte("ééééé"), 3)
	f.Fuzz(func(t *testing.T, b []byte, n int) {
		if n < 0 || n > 1<<16 {
			return
		}
		got := Excerpt(b, n)
		if !utf8.ValidString(got) {
			t.Fatalf("Excerpt(%q, %d) = %q is not valid UTF-8", b, n, got)
		}
		if len(got) > n+3 {
			t.Fatalf("Excerpt(%q, %d) has %d bytes", b, n, len(got))
		}
	})
}
