package specguard_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/specguard"
)

// guestList writes a list answer of n guests; accessCode is written by
// code(i), raw JSON.
func guestList(n int, code func(i int) string) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"status":"success","count":%d,"dateTime":"2026-03-01T10:00:00+01:00","guests":[`, n)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"g%d","accessCode":%s,"clientUpdateDateTime":"2026-03-01T09:00:00+01:00",`+
			`"serverUpdateDateTime":null,"checkInDateTime":null,"checkOutDateTime":null,"deleteDateTime":null,`+
			`"registrationState":"registered","fields":{"firstName":"Secret Person %d","email":null},"companions":[]}`, i, code(i), i)
	}
	b.WriteString("]}")
	return b.Bytes()
}

func serveBytes(t *testing.T, body []byte) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func post(t *testing.T, rt http.RoundTripper, url string) ([]byte, error) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url+"/api/v1/guest/list/all", strings.NewReader(`{"sessionToken":"tok"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Transport: rt}).Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	return io.ReadAll(resp.Body)
}

func TestTypeChangeReportedOncePerFieldOfALongList(t *testing.T) {
	const n = 100_000
	// Every guest's accessCode is a number: an undeclared type change.
	body := guestList(n, func(i int) string { return fmt.Sprint(900000 + i) })
	url := serveBytes(t, body)
	var logs bytes.Buffer
	// No time attribute: its nanoseconds could hold the digits the last
	// check looks for.
	noTime := &slog.HandlerOptions{ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}}
	g, err := specguard.New(specguard.WithLogger(slog.New(slog.NewJSONHandler(&logs, noTime))))
	require.NoError(t, err)

	got, err := post(t, g.Wrap(nil), url)
	require.NoError(t, err, "warn mode never fails the call")
	assert.True(t, bytes.Equal(body, got), "the answer reaches the caller unchanged")

	lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
	require.Len(t, lines, 1, "one report for the field, not one per guest: %s", logs.String())
	assert.Contains(t, lines[0], `"level":"WARN"`)
	assert.Contains(t, lines[0], `"operation":"guestListAll"`)
	assert.Contains(t, lines[0], `"field":"/guests/0/accessCode"`)
	assert.Contains(t, lines[0], `"expected":"type string"`)
	assert.Contains(t, lines[0], `"status":200`)
	assert.NotContains(t, lines[0], "900000", "the value is never logged")
	require.Len(t, g.Drifts(), 1)

	// A second answer with the same drift is not reported again.
	_, err = post(t, g.Wrap(nil), url)
	require.NoError(t, err)
	assert.Len(t, strings.Split(strings.TrimSpace(logs.String()), "\n"), 1)
}

func TestDriftInALaterItemIsFound(t *testing.T) {
	body := guestList(50, func(i int) string {
		if i == 37 {
			return "false"
		}
		return `"A1"`
	})
	var logs bytes.Buffer
	g, err := specguard.New(specguard.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
	require.NoError(t, err)
	_, err = post(t, g.Wrap(nil), serveBytes(t, body))
	require.NoError(t, err)
	require.Len(t, g.Drifts(), 1, logs.String())
	assert.Equal(t, "/guests/37/accessCode", g.Drifts()[0].Field)
}

func TestConformingAnswerIsQuiet(t *testing.T) {
	var logs bytes.Buffer
	g, err := specguard.New(specguard.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))), specguard.Strict(true))
	require.NoError(t, err)
	_, err = post(t, g.Wrap(nil), serveBytes(t, guestList(20, func(int) string { return `"A1"` })))
	require.NoError(t, err)
	assert.Empty(t, logs.String())
	assert.Empty(t, g.Drifts())
}

func TestStrictModeFailsTheCall(t *testing.T) {
	g, err := specguard.New(specguard.WithLogger(slog.New(slog.DiscardHandler)), specguard.Strict(true))
	require.NoError(t, err)
	_, err = post(t, g.Wrap(nil), serveBytes(t, guestList(3, func(int) string { return "7" })))
	var de *specguard.DriftError
	require.True(t, errors.As(err, &de), "%v", err)
	assert.Equal(t, "guestListAll", de.Drifts[0].Operation)
	assert.Contains(t, err.Error(), "/guests/0/accessCode")
}

func TestUndeclaredStatusIsDrift(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusTeapot)
		_, _ = io.WriteString(w, `{"errors":[{"code":1,"message":"x"}]}`)
	}))
	t.Cleanup(srv.Close)
	g, err := specguard.New(specguard.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/applications/c/invitationevents", strings.NewReader(`[]`))
	resp, err := (&http.Client{Transport: g.Wrap(nil)}).Do(req)
	require.NoError(t, err)
	_, _ = io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	require.Len(t, g.Drifts(), 1)
	assert.Contains(t, g.Drifts()[0].Expected, "418")
}
