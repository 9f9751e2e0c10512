package benchmarks

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/signing"
)

// cannedTransport answers every request with the same response, in memory:
// it reads the request body as a real transport would send it and hands
// back a fresh reader over a canned body. With check set it also verifies
// each request as the iVvy server does and records the body it got.
type cannedTransport struct {
	header http.Header
	body   []byte

	check   bool
	lastErr error
	lastReq []byte
}

func newCannedTransport(body []byte) *cannedTransport {
	return &cannedTransport{header: http.Header{"Content-Type": {"application/json"}}, body: body}
}

func (t *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	var sent []byte
	if req.Body != nil {
		if t.check {
			sent, _ = io.ReadAll(req.Body)
		} else {
			_, _ = io.Copy(io.Discard, req.Body)
		}
		_ = req.Body.Close()
	}
	if t.check {
		t.lastReq = sent
		t.lastErr = signing.VerifyIvvy(req, sent, func(k string) (string, bool) { return benchSecret, k == benchKey }, time.Now())
	}
	return &http.Response{
		Status: "200 OK", StatusCode: http.StatusOK, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: t.header, Body: io.NopCloser(bytes.NewReader(t.body)),
		ContentLength: int64(len(t.body)), Request: req,
	}, nil
}

// inviteCase is one inviteContacts call: the contacts and the server's
// answer (every contact invited, with its two links).
type inviteCase struct {
	event    int64
	contacts []int64
	response []byte
}

func newInviteCase(n int) inviteCase {
	c := inviteCase{event: 4, contacts: make([]int64, n)}
	var b strings.Builder
	b.WriteString(`{"results":[`)
	for i := range n {
		id := int64(200001 + i)
		c.contacts[i] = id
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"contact":%d,"status":true,`+
			`"inviteLinkYes":"https://acme.ivvy.com/event/EV000004/invitation/accept/%d?code=k7Hq2pXw",`+
			`"inviteLinkNo":"https://acme.ivvy.com/event/EV000004/invitation/decline/%d?code=k7Hq2pXw"}`, id, id, id)
	}
	b.WriteString(`]}`)
	c.response = []byte(b.String())
	return c
}

// The hand-written baseline: what a Go user would write with net/http and
// encoding/json alone to make the same call.

type handInviteRequest struct {
	Event    int64   `json:"event"`
	Contacts []int64 `json:"contacts"`
}

type handInviteResponse struct {
	Results []struct {
		Contact       int64  `json:"contact"`
		Status        bool   `json:"status"`
		InviteLinkYes string `json:"inviteLinkYes"`
		InviteLinkNo  string `json:"inviteLinkNo"`
	} `json:"results"`
	ErrorCode *int   `json:"errorCode"`
	Message   string `json:"message"`
}

// handSign signs req the documented way: md5 of the body, IVVY-Date, the
// lowercased string to sign and its HMAC-SHA1.
func handSign(req *http.Request, body []byte, key, secret string) {
	sum := md5.Sum(body)
	bodyMD5 := hex.EncodeToString(sum[:])
	date := time.Now().UTC().Format("2006-01-02 15:04:05")
	req.Header.Set("Content-MD5", bodyMD5)
	req.Header.Set("IVVY-Date", date)
	sts := strings.ToLower(req.Method + bodyMD5 + req.Header.Get("Content-Type") + req.URL.RequestURI() +
		"1.0" + "ivvydate=" + date)
	mac := hmac.New(sha1.New, []byte(secret))
	mac.Write([]byte(sts))
	req.Header.Set("X-Api-Authorization", "IWS "+key+":"+hex.EncodeToString(mac.Sum(nil)))
}

func handInviteContacts(ctx context.Context, client *http.Client, event int64, contacts []int64) (*handInviteResponse, error) {
	body, err := json.Marshal(handInviteRequest{Event: event, Contacts: contacts})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, inviteURL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	handSign(req, body, benchKey, benchSecret)
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	var out handInviteResponse
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, err
	}
	if out.ErrorCode != nil {
		return nil, fmt.Errorf("ivvy error %d: %s", *out.ErrorCode, out.Message)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, errors.New(resp.Status)
	}
	return &out, nil
}

func newBenchAPI(tb testing.TB, rt http.RoundTripper) *ivvy.API {
	tb.Helper()
	api, err := ivvy.New(benchKey, benchSecret, ivvy.WithRegion(ivvy.RegionAU), ivvy.WithTransport(rt))
	require.NoError(tb, err)
	return api
}

func TestInviteBaselineDoesWhatTheClientDoes(t *testing.T) {
	c := newInviteCase(3)
	rt := newCannedTransport(c.response)
	rt.check = true

	res, err := newBenchAPI(t, rt).InviteContacts(t.Context(), c.event, c.contacts)
	require.NoError(t, err)
	require.NoError(t, rt.lastErr, "invitekit's request verifies")
	clientSent := rt.lastReq
	require.Len(t, res.Results, 3)

	hand, err := handInviteContacts(t.Context(), &http.Client{Transport: rt}, c.event, c.contacts)
	require.NoError(t, err)
	require.NoError(t, rt.lastErr, "the baseline's request verifies")
	assert.JSONEq(t, string(clientSent), string(rt.lastReq), "both send the same body")
	require.Len(t, hand.Results, 3)
	for i, r := range res.Results {
		assert.Equal(t, int64(r.Contact), hand.Results[i].Contact)
		assert.Equal(t, r.InviteLinkYes, hand.Results[i].InviteLinkYes)
	}

	// Both report an exception body as an error.
	rt.body = []byte(`{"errorCode":401,"specificCode":0,"message":"Unauthorized"}`)
	_, err = newBenchAPI(t, rt).InviteContacts(t.Context(), c.event, c.contacts)
	assert.ErrorIs(t, err, ivvy.ErrUnauthorized)
	_, err = handInviteContacts(t.Context(), &http.Client{Transport: rt}, c.event, c.contacts)
	assert.ErrorContains(t, err, "ivvy error 401")
}

// BenchmarkInviteContacts makes one inviteContacts call over an in-memory
// transport (no sockets): 3 contacts (a small call, mostly fixed costs) and
// 100 (one chunk of InviteMany). The baseline is handInviteContacts over the
// same transport.
func BenchmarkInviteContacts(b *testing.B) {
	for _, n := range []int{3, 100} {
		c := newInviteCase(n)
		b.Run(fmt.Sprintf("contacts=%d/invitekit", n), func(b *testing.B) {
			api := newBenchAPI(b, newCannedTransport(c.response))
			ctx := b.Context()
			if _, err := api.InviteContacts(ctx, c.event, c.contacts); err != nil { // warm up
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := api.InviteContacts(ctx, c.event, c.contacts)
				if err != nil || len(res.Results) != n {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("contacts=%d/nethttp", n), func(b *testing.B) {
			client := &http.Client{Transport: newCannedTransport(c.response)}
			ctx := b.Context()
			if _, err := handInviteContacts(ctx, client, c.event, c.contacts); err != nil { // warm up
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				res, err := handInviteContacts(ctx, client, c.event, c.contacts)
				if err != nil || len(res.Results) != n {
					b.Fatal(err)
				}
			}
		})
	}
}
