package httpx

import (
	"net/http"
	"testing"
	"time"
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
