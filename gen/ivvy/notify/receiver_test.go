package notify_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/fake/ivvyfake"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/gen/ivvy/notify"
)

const topic = "arn:aws:sns:ap-southeast-2:123456789012:iVvy_Account_14_NotifContacts"

var (
	snsOnce          sync.Once
	snsMain, snsElse *ivvyfake.SNS
	snsErr           error
)

// fakes returns two SNS fakes with keys made once per test binary: the
// second has its own authority, so its roots do not trust the first.
func fakes(t testing.TB) (*ivvyfake.SNS, *ivvyfake.SNS) {
	t.Helper()
	snsOnce.Do(func() {
		snsMain, snsErr = ivvyfake.NewSNS("ap-southeast-2", topic)
		if snsErr == nil {
			snsElse, snsErr = ivvyfake.NewSNS("ap-southeast-2", topic)
		}
	})
	require.NoError(t, snsErr)
	return snsMain, snsElse
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// rig is a receiver under test with a fresh counting client and a recorder
// of what reached the handler or was refused.
type rig struct {
	sns      *ivvyfake.SNS
	clock    *clock
	rcv      *notify.Receiver
	mu       sync.Mutex
	notes    []*notify.Notification
	confs    []*notify.Confirmation
	refusals []notify.Refusal
	fail     int // how many next notifications the handler fails
	before   func(*notify.Notification)
}

func newRig(t *testing.T, opts ...notify.Option) *rig {
	t.Helper()
	main, _ := fakes(t)
	r := &rig{clock: &clock{t: time.Date(2026, 3, 2, 9, 15, 0, 0, time.UTC)}}
	// A copy per test so that request counts and the clock are its own.
	s := main.Copy(r.clock.Now)
	r.sns = s
	h := notify.Funcs{
		OnNotification: func(_ context.Context, n *notify.Notification) error {
			if r.before != nil {
				r.before(n)
			}
			r.mu.Lock()
			defer r.mu.Unlock()
			r.notes = append(r.notes, n)
			if r.fail > 0 {
				r.fail--
				return errors.New("handler failed")
			}
			return nil
		},
		OnConfirmation: func(_ context.Context, c *notify.Confirmation) error {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.confs = append(r.confs, c)
			return nil
		},
	}
	all := append([]notify.Option{
		notify.WithClock(r.clock.Now),
		notify.WithRoots(s.Roots),
		notify.WithHTTPClient(s.Client()),
		notify.WithRefusalFunc(func(rf notify.Refusal) {
			r.mu.Lock()
			defer r.mu.Unlock()
			r.refusals = append(r.refusals, rf)
		}),
	}, opts...)
	rcv, err := notify.New(h, all...)
	require.NoError(t, err)
	r.rcv = rcv
	return r
}

func (r *rig) post(m ivvyfake.SNSMessage) int {
	return r.sns.Deliver(r.rcv, m, 1)[0]
}

func (r *rig) refusedWith(t *testing.T, target error) {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	require.Len(t, r.refusals, 1)
	assert.ErrorIs(t, r.refusals[0].Err, target)
	assert.Empty(t, r.notes, "a refused message reached the handler")
}

func TestBothSignatureVersionsReachTheHandlerTyped(t *testing.T) {
	r := newRig(t)
	for _, v := range []int{1, 2} {
		m := r.sns.Notification("ContactAdded", map[string]any{"data": map[string]any{"id": 7, "firstName": "Ana"}}, v)
		require.Equal(t, string(rune('0'+v)), m["SignatureVersion"])
		assert.Equal(t, http.StatusOK, r.post(m), "SignatureVersion %d", v)
	}
	require.Len(t, r.notes, 2)
	for _, n := range r.notes {
		body, ok := n.Body.(*ivvy.ContactAddedNotification)
		require.True(t, ok, "body is %T", n.Body)
		assert.Equal(t, "Ana", body.Data.FirstName)
		assert.True(t, n.Known())
		assert.Equal(t, "ContactAdded", n.Subject)
		assert.Equal(t, "14", n.Message.AccountID)
		assert.Equal(t, topic, n.TopicArn)
		assert.Equal(t, r.clock.Now(), n.Time)
		assert.NotEmpty(t, n.Message.SigningPublicKeyPath, "iVvy's own signature fields are passed on")
	}
	assert.Equal(t, 1, r.sns.RequestsTo(r.sns.CertURL), "the certificate is fetched once and cached")
	assert.Empty(t, r.refusals)
}

func TestSignatureVersionsAreDistinct(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 1)
	m["SignatureVersion"] = "2" // a SHA1 signature claimed as SHA256
	assert.Equal(t, http.StatusForbidden, r.post(m))
	r.refusedWith(t, notify.ErrBadSignature)

	r = newRig(t)
	m = r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	m["SignatureVersion"] = "3"
	assert.Equal(t, http.StatusForbidden, r.post(m))
	r.refusedWith(t, notify.ErrBadSignature)
}

func TestPinnedCertificateFetchesNothing(t *testing.T) {
	main, _ := fakes(t)
	r := newRig(t, notify.WithCertificatePEM(main.CertPEM), notify.WithRoots(nil))
	assert.Equal(t, http.StatusOK, r.post(r.sns.Notification("ContactDeleted", map[string]any{"contactId": 5}, 2)))
	require.Len(t, r.notes, 1)
	assert.Equal(t, ivvy.Int(5), r.notes[0].Body.(*ivvy.ContactDeletedNotification).ContactID)
	assert.Zero(t, r.sns.Requests())

	_, err := notify.New(notify.Funcs{}, notify.WithCertificatePEM([]byte("not a pem")))
	assert.ErrorContains(t, err, "no PEM CERTIFICATE")
}

func TestForgedMessagesAreRefused(t *testing.T) {
	_, other := fakes(t)
	t.Run("changed after signing", func(t *testing.T) {
		r := newRig(t)
		m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
		m["Message"] = strings.Replace(m["Message"], `1}`, `2}`, 1)
		assert.Equal(t, http.StatusForbidden, r.post(m))
		r.refusedWith(t, notify.ErrBadSignature)
	})
	t.Run("subject added after signing", func(t *testing.T) {
		r := newRig(t)
		m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 1)
		m["Subject"] = "injected"
		assert.Equal(t, http.StatusForbidden, r.post(m))
		r.refusedWith(t, notify.ErrBadSignature)
	})
	t.Run("signed by another key", func(t *testing.T) {
		r := newRig(t)
		m := other.Copy(r.clock.Now).Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
		assert.Equal(t, http.StatusForbidden, r.post(m))
		r.refusedWith(t, notify.ErrBadSignature)
	})
	t.Run("signature not base64", func(t *testing.T) {
		r := newRig(t)
		m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
		m["Signature"] = "%%%"
		assert.Equal(t, http.StatusForbidden, r.post(m))
		r.refusedWith(t, notify.ErrBadSignature)
	})
}

func TestUnknownTypeIsRefused(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	m["Type"] = "Announcement"
	r.sns.Sign(m, 2)
	assert.Equal(t, http.StatusBadRequest, r.post(m))
	r.refusedWith(t, notify.ErrUnknownType)
	assert.Zero(t, r.sns.Requests())
}

func TestStaleTimestampIsRefused(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	r.clock.Add(time.Hour + time.Second)
	assert.Equal(t, http.StatusBadRequest, r.post(m))
	r.refusedWith(t, notify.ErrStale)

	// From the future beyond the window, too.
	r = newRig(t)
	r.clock.Add(2 * time.Hour)
	m = r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	r.clock.Add(-2 * time.Hour)
	assert.Equal(t, http.StatusBadRequest, r.post(m))
	r.refusedWith(t, notify.ErrStale)

	// The window is configurable; an hour-old message within it passes.
	r = newRig(t, notify.WithMaxAge(2*time.Hour))
	m = r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	r.clock.Add(90 * time.Minute)
	assert.Equal(t, http.StatusOK, r.post(m))

	r = newRig(t, notify.WithMaxAge(time.Minute))
	m = r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	r.clock.Add(61 * time.Second)
	assert.Equal(t, http.StatusBadRequest, r.post(m))
	r.refusedWith(t, notify.ErrStale)
	assert.Zero(t, r.sns.Requests(), "no certificate is fetched for a stale message")
}

func TestTopicOutsideTheAllowlistIsRefused(t *testing.T) {
	r := newRig(t, notify.WithTopics("arn:aws:sns:ap-southeast-2:123456789012:iVvy_Account_14_NotifCompanies"))
	assert.Equal(t, http.StatusForbidden, r.post(r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)))
	r.refusedWith(t, notify.ErrTopicNotAllowed)
	assert.Zero(t, r.sns.Requests())

	r = newRig(t, notify.WithTopics(topic))
	assert.Equal(t, http.StatusOK, r.post(r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)))
}

func TestOversizeBodyIsRefused(t *testing.T) {
	r := newRig(t, notify.WithMaxBodyBytes(512))
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1, "pad": strings.Repeat("x", 600)}, 2)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.post(m))
	r.refusedWith(t, notify.ErrTooLarge)
	assert.Zero(t, r.sns.Requests())
}

func TestCertificateURLOutsideSNSIsNeverRequested(t *testing.T) {
	for _, u := range []string{
		"http://sns.ap-southeast-2.amazonaws.com/cert.pem",
		"https://sns.ap-southeast-2.amazonaws.com.evil.example/cert.pem",
		"https://evil.example/sns.ap-southeast-2.amazonaws.com/cert.pem",
		"https://sns.amazonaws.com/cert.pem",
		"https://s3.ap-southeast-2.amazonaws.com/cert.pem",
		"https://sns.ap-southeast-2.amazonaws.com:8443/cert.pem",
		"https://user@sns.ap-southeast-2.amazonaws.com/cert.pem",
		"https://SNS.AP-SOUTHEAST-2.amazonaws.com/cert.pem",
		"https://sns.ap_southeast.amazonaws.com/cert.pem",
		"file:///etc/passwd",
		"",
	} {
		t.Run(u, func(t *testing.T) {
			r := newRig(t)
			m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
			m["SigningCertURL"] = u
			got := r.post(m)
			if u == "" {
				assert.Equal(t, http.StatusBadRequest, got)
				r.refusedWith(t, notify.ErrMalformed)
			} else {
				assert.Equal(t, http.StatusForbidden, got)
				r.refusedWith(t, notify.ErrCertURL)
			}
			assert.Zero(t, r.sns.Requests(), "a request was made")
		})
	}
}

func TestCertificateMustChainToTheRoots(t *testing.T) {
	_, other := fakes(t)
	r := newRig(t, notify.WithRoots(other.Roots))
	assert.Equal(t, http.StatusForbidden, r.post(r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)))
	r.refusedWith(t, notify.ErrCertificate)
	assert.Equal(t, 1, r.sns.RequestsTo(r.sns.CertURL))

	// The system roots do not know the test authority either.
	r = newRig(t, notify.WithRoots(nil))
	assert.Equal(t, http.StatusForbidden, r.post(r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)))
	r.refusedWith(t, notify.ErrCertificate)
}

func TestCertificateFetchFailureAsksForARetry(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	m["SigningCertURL"] = "https://sns.ap-southeast-2.amazonaws.com/missing.pem" // the fake answers 404
	assert.Equal(t, http.StatusServiceUnavailable, r.post(m))
	r.refusedWith(t, notify.ErrCertFetch)
}

func TestDuplicatesReachTheHandlerOnce(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	assert.Equal(t, []int{200}, r.sns.Deliver(r.rcv, m, 3))
	assert.Equal(t, []int{200}, r.sns.Deliver(r.rcv, m, 3), "a duplicate is acknowledged")
	assert.Len(t, r.notes, 1)
}

func TestHandlerFailureIsRetriedThenDeduplicated(t *testing.T) {
	r := newRig(t)
	r.fail = 2
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 1)
	assert.Equal(t, []int{500, 500, 200}, r.sns.Deliver(r.rcv, m, 5))
	assert.Len(t, r.notes, 3)
	assert.Equal(t, []int{200}, r.sns.Deliver(r.rcv, m, 5))
	assert.Len(t, r.notes, 3, "a handled message is not handled again")
}

func TestDuplicateWhileHandlingIsTurnedAway(t *testing.T) {
	r := newRig(t)
	entered, release := make(chan struct{}), make(chan struct{})
	r.before = func(*notify.Notification) {
		r.before = nil
		close(entered)
		<-release
	}
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	first := make(chan int)
	go func() { first <- r.post(m) }()
	<-entered
	assert.Equal(t, http.StatusServiceUnavailable, r.post(m), "SNS should try the duplicate later")
	close(release)
	assert.Equal(t, http.StatusOK, <-first)
	assert.Equal(t, http.StatusOK, r.post(m))
	assert.Len(t, r.notes, 1)
}

func TestDedupeMemoryIsBounded(t *testing.T) {
	r := newRig(t, notify.WithDedupe(time.Hour, 2), notify.WithMaxAge(3*time.Hour))
	a := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)
	b := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 2}, 2)
	c := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 3}, 2)
	for _, m := range []ivvyfake.SNSMessage{a, b, c, a} {
		assert.Equal(t, http.StatusOK, r.post(m))
	}
	assert.Len(t, r.notes, 4, "the oldest id was forgotten when a third arrived")
	assert.Equal(t, http.StatusOK, r.post(c))
	assert.Len(t, r.notes, 4)

	// After the window, an id is forgotten too.
	r.clock.Add(time.Hour)
	assert.Equal(t, http.StatusOK, r.post(c))
	assert.Len(t, r.notes, 5)
}

func TestUnknownSubjectIsDeliveredRaw(t *testing.T) {
	r := newRig(t)
	assert.Equal(t, http.StatusOK, r.post(r.sns.Notification("GuestCheckedIn", `{"guestId": 9}`, 2)))
	require.Len(t, r.notes, 1)
	n := r.notes[0]
	assert.Equal(t, "GuestCheckedIn", n.Subject)
	assert.False(t, n.Known())
	assert.JSONEq(t, `{"guestId": 9}`, string(n.Body.(json.RawMessage)))
	assert.NoError(t, n.BodyErr)
}

func TestBodyThatDoesNotFitItsTypeIsDeliveredRaw(t *testing.T) {
	r := newRig(t)
	assert.Equal(t, http.StatusOK, r.post(r.sns.Notification("ContactDeleted", `{"contactId": {"nested": true}}`, 2)))
	require.Len(t, r.notes, 1)
	assert.IsType(t, json.RawMessage{}, r.notes[0].Body)
	assert.ErrorContains(t, r.notes[0].BodyErr, "ContactDeleted")

	assert.Equal(t, http.StatusOK, r.post(r.sns.Raw("plain text from another publisher", 2)))
	require.Len(t, r.notes, 2)
	assert.Nil(t, r.notes[1].Body)
	assert.Equal(t, "plain text from another publisher", r.notes[1].Raw)
	assert.Error(t, r.notes[1].BodyErr)
}

func TestConfirmationGoesToTheHandlerByDefault(t *testing.T) {
	r := newRig(t)
	for _, typ := range []string{notify.TypeSubscriptionConfirmation, notify.TypeUnsubscribeConfirmation} {
		assert.Equal(t, http.StatusOK, r.post(r.sns.Confirmation(typ, 1)), typ)
	}
	require.Len(t, r.confs, 2)
	assert.Equal(t, r.sns.SubscribeURL(), r.confs[0].SubscribeURL)
	assert.False(t, r.confs[0].Confirmed)
	assert.Equal(t, notify.TypeUnsubscribeConfirmation, r.confs[1].Type)
	assert.Zero(t, r.sns.RequestsTo(r.sns.SubscribeURL()), "nothing is confirmed without the option")
}

func TestAutoConfirmVisitsSubscribeURL(t *testing.T) {
	r := newRig(t, notify.WithAutoConfirm(true))
	assert.Equal(t, http.StatusOK, r.post(r.sns.Confirmation(notify.TypeSubscriptionConfirmation, 2)))
	require.Len(t, r.confs, 1)
	assert.True(t, r.confs[0].Confirmed)
	assert.Equal(t, 1, r.sns.RequestsTo(r.sns.SubscribeURL()))

	// An unsubscribe confirmation is never visited.
	assert.Equal(t, http.StatusOK, r.post(r.sns.Confirmation(notify.TypeUnsubscribeConfirmation, 2)))
	assert.Equal(t, 1, r.sns.RequestsTo(r.sns.SubscribeURL()))

	// A signed SubscribeURL off the SNS hosts is refused without a request.
	r = newRig(t, notify.WithAutoConfirm(true))
	m := r.sns.Confirmation(notify.TypeSubscriptionConfirmation, 2)
	m["SubscribeURL"] = "https://evil.example/?Action=ConfirmSubscription"
	r.sns.Sign(m, 2)
	assert.Equal(t, http.StatusForbidden, r.post(m))
	r.refusedWith(t, notify.ErrCertURL)
	assert.Empty(t, r.confs)
	assert.Equal(t, 1, r.sns.Requests(), "only the certificate was fetched")
}

func TestRequestShape(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1}, 2)

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	r.rcv.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)

	req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(m.JSON())))
	req.Header.Set("Content-Type", "text/html")
	rec = httptest.NewRecorder()
	r.rcv.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusBadRequest, rec.Code)

	req = httptest.NewRequest(http.MethodPost, "/", strings.NewReader(string(m.JSON())))
	req.Header.Set("Content-Type", "application/json")
	rec = httptest.NewRecorder()
	r.rcv.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Len(t, r.notes, 1)
}

func TestRefusalsNeverCarryTheBody(t *testing.T) {
	r := newRig(t)
	m := r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1, "secret": "s3cr3t-value"}, 2)
	m["Message"] += " "
	r.post(m)
	m = r.sns.Notification("ContactDeleted", map[string]any{"contactId": 1, "secret": "s3cr3t-value"}, 2)
	m["Type"] = "s3cr3t-value" + strings.Repeat("x", 100)
	r.post(m)
	require.Len(t, r.refusals, 2)
	// A bad signature: nothing of the message is repeated.
	bad := r.refusals[0].Err.Error()
	assert.NotContains(t, bad, "s3cr3t-value")
	assert.NotContains(t, bad, "contactId")
	// An unknown type is named, cut short, and the message is not repeated.
	unknown := r.refusals[1].Err.Error()
	assert.NotContains(t, unknown, "s3cr3t-value"+strings.Repeat("x", 60))
	assert.NotContains(t, unknown, "contactId")
}

func TestOptionsRejectNonsense(t *testing.T) {
	for name, o := range map[string]notify.Option{
		"max age":    notify.WithMaxAge(0),
		"body":       notify.WithMaxBodyBytes(-1),
		"dedupe":     notify.WithDedupe(time.Hour, 0),
		"topic":      notify.WithTopics(""),
		"clock":      notify.WithClock(nil),
		"httpclient": notify.WithHTTPClient(nil),
	} {
		_, err := notify.New(notify.Funcs{}, o)
		assert.Error(t, err, name)
	}
	_, err := notify.New(nil)
	assert.Error(t, err)
}
