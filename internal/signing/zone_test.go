package signing

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/internal/redact"
)

// `make test` runs the clients' tests a second time with TZ set to a zone
// far from UTC, so that a date formatted in local time shows up. If the
// zone cannot be loaded, Go silently falls back to UTC and that run proves
// nothing: fail instead.
func TestTZRunIsNotSilentlyUTC(t *testing.T) {
	tz := os.Getenv("TZ")
	if tz == "" || tz == "UTC" || tz == "Etc/UTC" {
		t.Skip("TZ is not set to another zone")
	}
	_, off := time.Date(2026, 1, 1, 0, 0, 0, 0, time.Local).Zone()
	require.NotZero(t, off, "TZ=%s did not load (no zoneinfo?): the local zone is UTC", tz)
}

// A clock in the local zone (as time.Now gives) still signs with the UTC
// IVVY-Date. This only tells something when the local zone is not UTC,
// which the TZ run of `make test` ensures.
func TestIvvyDateFromLocalClockIsUTC(t *testing.T) {
	at := time.Date(2012, 4, 3, 22, 23, 24, 0, time.UTC).In(time.Local)
	req := newRequest(t, docBody)
	require.NoError(t, NewIvvy("k", redact.Secret("s"), fixedClock(at)).Edit(context.Background(), req))
	assert.Equal(t, "2012-04-03 22:23:24", req.Header.Get(IvvyDateHeader))
}
