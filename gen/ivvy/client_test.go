package ivvy_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/signing"
)

const (
	testKey    = "test-key"
	testSecret = "test-secret-do-not-leak"
)

// signedServer verifies every request's signature as iVvy does and hands
// verified requests to h.
func signedServer(t *testing.T, h func(w http.ResponseWriter, r *http.Request, body []byte)) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		err := signing.VerifyIvvy(r, body, func(k string) (string, bool) { return testSecret, k == testKey }, time.Now())
		if err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = fmt.Fprintf(w, `{"errorCode":401,"message":%q}`, err.Error())
			return
		}
		h(w, r, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newAPI(t *testing.T, base string, opts ...ivvy.Option) *ivvy.API {
	t.Helper()
	c, err := ivvy.New(testKey, testSecret, append([]ivvy.Option{ivvy.WithBaseURL(base)}, opts...)...)
	require.NoError(t, err)
	return c
}

func TestNewRejectsBadSettings(t *testing.T) {
	for name, tc := range map[string]struct {
		key, secret string
		opts        []ivvy.Option
		want        string
	}{
		"no key":          {"", "s", []ivvy.Option{ivvy.WithRegion(ivvy.RegionAU)}, "API key is required"},
		"no secret":       {"k", "", []ivvy.Option{ivvy.WithRegion(ivvy.RegionAU)}, "API secret is required"},
		"no host":         {"k", "s", nil, "WithRegion or WithBaseURL"},
		"bad region":      {"k", "s", []ivvy.Option{ivvy.WithRegion("mars")}, `unknown region "mars"`},
		"endpoint path":   {"k", "s", []ivvy.Option{ivvy.WithBaseURL("https://h.test/api")}, "no path"},
		"endpoint scheme": {"k", "s", []ivvy.Option{ivvy.WithBaseURL("ftp://h.test")}, "not an http(s)"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ivvy.New(tc.key, tc.secret, tc.opts...)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	for _, r := range []ivvy.Region{ivvy.RegionAU, ivvy.RegionUS, ivvy.RegionEU} {
		_, err := ivvy.New("k", "s", ivvy.WithRegion(r))
		assert.NoError(t, err, r)
	}
}

func TestPingIsSignedAndDecoded(t *testing.T) {
	var path string
	srv := signedServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		path = r.URL.RequestURI()
		assert.Empty(t, body)
		_, _ = io.WriteString(w, `{"ack":"2026-11-25 10:00:00 UTC"}`)
	})
	res, err := newAPI(t, srv.URL).Ping(t.Context())
	require.NoError(t, err)
	assert.Equal(t, "/api/1.0/test?action=ping", path)
	assert.Equal(t, time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC), res.Ack.Time)
}

func TestInviteContactsSendsDocumentedBody(t *testing.T) {
	srv := signedServer(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		assert.Equal(t, "/api/1.0/event?action=inviteContacts", r.URL.RequestURI())
		assert.JSONEq(t, `{"event":4,"contacts":[1,2,3]}`, string(body))
		_, _ = io.WriteString(w, `{"results":[{"contact":1,"status":true,"inviteLinkYes":"https://y/1","inviteLinkNo":"https://n/1"},{"contact":"2","status":false},{"contact":3,"status":true}]}`)
	})
	res, err := newAPI(t, srv.URL).InviteContacts(t.Context(), 4, []int64{1, 2, 3})
	require.NoError(t, err)
	require.Len(t, res.Results, 3)
	assert.Equal(t, ivvy.Int(2), res.Results[1].Contact, "a contact id sent as a string decodes")
	assert.False(t, res.Results[1].Status)
	assert.Equal(t, "https://y/1", res.Results[0].InviteLinkYes)
}

func TestInviteContactsRefusesBadInputBeforeSending(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { calls.Add(1) }))
	defer srv.Close()
	c := newAPI(t, srv.URL)
	_, err := c.InviteContacts(t.Context(), 4, nil)
	assert.ErrorContains(t, err, "at least one contact")
	_, err = c.InviteContacts(t.Context(), 0, []int64{1})
	assert.ErrorContains(t, err, "event id must be positive")
	_, err = c.InviteContacts(t.Context(), 4, []int64{1, -2})
	assert.ErrorContains(t, err, "contact ids must be positive")
	assert.Zero(t, calls.Load())
}

func TestExceptionBecomesAPIError(t *testing.T) {
	for name, status := range map[string]int{"with HTTP 400": 400, "with HTTP 200": 200} {
		t.Run(name, func(t *testing.T) {
			srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
				w.WriteHeader(status)
				_, _ = io.WriteString(w, `{"errorCode":400,"message":"'event' is required","specificCode":23017,"additionalMessages":["Value is required"]}`)
			})
			_, err := newAPI(t, srv.URL).InviteContacts(t.Context(), 4, []int64{1})
			var apiErr *ivvy.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, "inviteContacts", apiErr.Operation)
			assert.Equal(t, status, apiErr.StatusCode)
			assert.Equal(t, 400, apiErr.ErrorCode)
			assert.Equal(t, 23017, apiErr.SpecificCode)
			assert.Equal(t, "'event' is required", apiErr.Message)
			assert.Equal(t, []string{"Value is required"}, apiErr.AdditionalMessages)
			assert.ErrorIs(t, err, ivvy.ErrInvalid)
			assert.NotErrorIs(t, err, ivvy.ErrNotFound)
		})
	}
}

func TestNonJSONErrorPageGivesStatusAndExcerpt(t *testing.T) {
	page := "<html><body>" + strings.Repeat("Bad gateway ", 100) + "</body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, page)
	}))
	defer srv.Close()
	_, err := newAPI(t, srv.URL, ivvy.WithMaxAttempts(1)).Ping(t.Context())
	var apiErr *ivvy.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 502, apiErr.StatusCode)
	assert.True(t, strings.HasPrefix(apiErr.Excerpt, "<html><body>Bad gateway"))
	assert.LessOrEqual(t, len(apiErr.Excerpt), 210)
	assert.Contains(t, err.Error(), "HTTP 502")
	assert.ErrorIs(t, err, ivvy.ErrServer)
}

func TestUnauthorizedErrorNeverShowsTheSecret(t *testing.T) {
	srv := signedServer(t, func(http.ResponseWriter, *http.Request, []byte) { t.Error("must not be reached") })
	c, err := ivvy.New(testKey, "wrong-secret-value", ivvy.WithBaseURL(srv.URL))
	require.NoError(t, err)
	_, err = c.Ping(t.Context())
	require.ErrorIs(t, err, ivvy.ErrUnauthorized)
	assert.NotContains(t, err.Error(), "wrong-secret-value")
	assert.NotContains(t, fmt.Sprintf("%+v %#v", err, c), "wrong-secret-value")
}

// An IVVY-prefixed header enters the string to sign, so a header added by any
// editor that the server still verifies proves the signer ran after it.
func TestSignerRunsAfterClientAndPerCallEditors(t *testing.T) {
	var seen http.Header
	srv := signedServer(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		seen = r.Header.Clone()
		_, _ = io.WriteString(w, `{"ack":"2026-11-25 10:00:00"}`)
	})
	clientEditor := func(_ context.Context, r *http.Request) error { r.Header.Set("IVVY-Client", "a"); return nil }
	secondEditor := func(_ context.Context, r *http.Request) error { r.Header.Set("IVVY-Call", "b"); return nil }
	c := newAPI(t, srv.URL, ivvy.WithEditor(clientEditor), ivvy.WithEditor(secondEditor))
	_, err := c.Ping(t.Context())
	require.NoError(t, err, "signature must cover both editors' headers")
	assert.Equal(t, "a", seen.Get("IVVY-Client"))
	assert.Equal(t, "b", seen.Get("IVVY-Call"))

	// The same editor run after signing would break the signature.
	req, err := http.NewRequest(http.MethodPost, srv.URL+"/api/1.0/test?action=ping", nil)
	require.NoError(t, err)
	require.NoError(t, signing.NewIvvy(testKey, testSecret, nil).Edit(t.Context(), req))
	req.Header.Set("IVVY-Late", "c")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestCrossHostRedirectIsRefused(t *testing.T) {
	var reached atomic.Int32
	other := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) { reached.Add(1) }))
	defer other.Close()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/api/1.0/test?action=ping", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	_, err := newAPI(t, srv.URL).Ping(t.Context())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "refused redirect")
	assert.Zero(t, reached.Load(), "nothing reaches the other host")
}

func TestResponseBodyCap(t *testing.T) {
	srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		_, _ = io.WriteString(w, `{"ack":"2026-11-25 10:00:00","pad":"`+strings.Repeat("x", 5000)+`"}`)
	})
	_, err := newAPI(t, srv.URL, ivvy.WithMaxResponseBytes(1024)).Ping(t.Context())
	assert.ErrorContains(t, err, "exceeds the 1024-byte limit")
}

func TestInviteManyKeepsInputOrderAndChunks(t *testing.T) {
	var mu sync.Mutex
	var chunks [][]int64
	var inFlight, maxInFlight atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, body []byte) {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := maxInFlight.Load()
			if n <= m || maxInFlight.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(2 * time.Millisecond)
		var req ivvy.InviteContactsRequest
		require.NoError(t, json.Unmarshal(body, &req))
		mu.Lock()
		chunks = append(chunks, req.Contacts)
		mu.Unlock()
		// Answer in shuffled order; odd ids are not invited.
		type res struct {
			Contact int64 `json:"contact"`
			Status  bool  `json:"status"`
		}
		out := make([]res, len(req.Contacts))
		for i, id := range req.Contacts {
			out[i] = res{id, id%2 == 0}
		}
		rand.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
		_ = json.NewEncoder(w).Encode(map[string]any{"results": out})
	})
	ids := make([]int64, 1050)
	for i := range ids {
		ids[i] = int64(i + 1)
	}
	var progress []int
	res, err := newAPI(t, srv.URL).InviteMany(t.Context(), 7, ids,
		ivvy.WithChunkSize(100), ivvy.WithConcurrency(3),
		ivvy.WithProgress(func(done, total int) { progress = append(progress, done); assert.Equal(t, 1050, total) }))
	require.NoError(t, err)
	assert.Len(t, chunks, 11, "ceil(1050/100) calls")
	assert.Equal(t, 11, res.Calls)
	assert.LessOrEqual(t, maxInFlight.Load(), int32(3))
	for _, c := range chunks {
		assert.LessOrEqual(t, len(c), 100)
	}
	require.Len(t, res.Outcomes, 1050)
	for i, o := range res.Outcomes {
		assert.Equal(t, ids[i], o.ContactID)
		assert.Equal(t, o.ContactID%2 == 0, o.Invited, "contact %d", o.ContactID)
		assert.NoError(t, o.Err)
	}
	assert.Equal(t, 525, res.Invited())
	assert.Equal(t, 1050, progress[len(progress)-1])
}

func TestInviteManyReportsFailedChunks(t *testing.T) {
	var calls atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, body []byte) {
		var req ivvy.InviteContactsRequest
		require.NoError(t, json.Unmarshal(body, &req))
		if calls.Add(1); req.Contacts[0] == 3 {
			w.WriteHeader(http.StatusInternalServerError)
			_, _ = io.WriteString(w, `{"errorCode":500,"message":"boom"}`)
			return
		}
		out := []map[string]any{}
		for _, id := range req.Contacts {
			out = append(out, map[string]any{"contact": id, "status": true})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"results": out})
	})
	res, err := newAPI(t, srv.URL).InviteMany(t.Context(), 7, []int64{1, 2, 3, 4, 5}, ivvy.WithChunkSize(2), ivvy.WithConcurrency(1))
	require.Error(t, err)
	assert.ErrorIs(t, err, ivvy.ErrServer)
	assert.Equal(t, int32(3), calls.Load(), "the failing chunk is sent once; the others still run")
	assert.Equal(t, []bool{true, true, false, false, true}, []bool{res.Outcomes[0].Invited, res.Outcomes[1].Invited, res.Outcomes[2].Invited, res.Outcomes[3].Invited, res.Outcomes[4].Invited})
	assert.Error(t, res.Outcomes[2].Err)
	assert.Error(t, res.Outcomes[3].Err)
	assert.NoError(t, res.Outcomes[4].Err)
}

func TestInviteManyStopsWhenContextEnds(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	var calls atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, body []byte) {
		calls.Add(1)
		cancel()
		var req ivvy.InviteContactsRequest
		_ = json.Unmarshal(body, &req)
		out := []map[string]any{}
		for _, id := range req.Contacts {
			out = append(out, map[string]any{"contact": id, "status": true})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"results": out})
	})
	res, err := newAPI(t, srv.URL).InviteMany(ctx, 7, []int64{1, 2, 3, 4, 5, 6}, ivvy.WithChunkSize(1), ivvy.WithConcurrency(1))
	require.ErrorIs(t, err, context.Canceled)
	assert.LessOrEqual(t, calls.Load(), int32(2))
	assert.ErrorIs(t, res.Outcomes[5].Err, context.Canceled)
	assert.False(t, errors.Is(res.Outcomes[0].Err, context.Canceled) && res.Outcomes[0].Invited)
}

func TestRetriesUseTheInjectedSleeper(t *testing.T) {
	var hits atomic.Int32
	srv := signedServer(t, func(w http.ResponseWriter, _ *http.Request, _ []byte) {
		if hits.Add(1) < 3 {
			w.Header().Set("Retry-After", "30")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = io.WriteString(w, `{"ack":"2026-11-25 10:00:00"}`)
	})
	var waits []time.Duration
	c := newAPI(t, srv.URL, ivvy.WithSleeper(func(_ context.Context, d time.Duration) error {
		waits = append(waits, d)
		return nil
	}))
	_, err := c.Ping(t.Context())
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{30 * time.Second, 30 * time.Second}, waits, "Retry-After honoured, without sleeping")
}
