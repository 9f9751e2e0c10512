package httpx

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

type wrapper func(http.RoundTripper) http.RoundTripper

func (w wrapper) Wrap(next http.RoundTripper) http.RoundTripper { return w(next) }

// The recorder sits between the Doer and the transport: it sees every
// attempt as signed, with its operation, and the answer as the transport
// gave it.
func TestRecorderSeesSignedAttempts(t *testing.T) {
	var seen []string
	var statuses []int
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		status := http.StatusServiceUnavailable
		if len(seen) == 3 {
			status = http.StatusOK
		}
		return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader("{}")), Header: http.Header{}, Request: r}, nil
	})
	rec := wrapper(func(next http.RoundTripper) http.RoundTripper {
		return roundTripFunc(func(r *http.Request) (*http.Response, error) {
			op, _ := OperationFrom(r.Context())
			seen = append(seen, op.ID+" "+r.Header.Get("Authorization"))
			resp, err := next.RoundTrip(r)
			if err == nil {
				statuses = append(statuses, resp.StatusCode)
			}
			return resp, err
		})
	})
	d := New(Config{
		Transport: base,
		Recorder:  rec,
		Final: []Editor{func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "signed")
			return nil
		}},
		Sleep: func(context.Context, time.Duration) error { return nil },
	})
	req, err := http.NewRequestWithContext(WithOperation(context.Background(), "getThing", true), http.MethodGet, "http://x.test/", nil)
	require.NoError(t, err)
	resp, err := d.Do(req)
	require.NoError(t, err)
	_ = resp.Body.Close()
	assert.Equal(t, []string{"getThing signed", "getThing signed", "getThing signed"}, seen, "every attempt, signed")
	assert.Equal(t, []int{http.StatusServiceUnavailable, http.StatusServiceUnavailable, http.StatusOK}, statuses)
}
