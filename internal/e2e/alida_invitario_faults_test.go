package e2e

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	alidafake "github.com/invitekit/invitekit/fake/alidafake"
	invitariofake "github.com/invitekit/invitekit/fake/invitariofake"
	"github.com/invitekit/invitekit/gen/alida"
	"github.com/invitekit/invitekit/gen/invitario"
	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/faults"
	"github.com/invitekit/invitekit/internal/httpx"
)

// Alida and Invitario have no option to shorten the backoff, so each retry
// after a connection fault may wait up to a quarter, then half a second:
// these tests run in parallel and use "Retry-After: 0" on status faults.
var slowClientFaults = []faults.Fault{fReset, fDrop, f503, f429}

// isQueued matches Alida's queued-list requests.
var isQueued = func(r *http.Request) bool { return r.Method == http.MethodGet }

func TestAlidaQueuedListSurvivesFaults(t *testing.T) {
	for _, f := range slowClientFaults {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			e := newAlida(t, faults.When(isQueued, faults.FirstN(2, f)), alidaBasic)
			got, err := e.api.CollectQueued(t.Context(), time.Time{}, nil)
			require.NoError(t, err)
			assert.Len(t, got, len(alidafake.DemoMembers))
			assert.GreaterOrEqual(t, e.inj.Count(arrived(isQueued)), 3)
		})
	}
	t.Run("token endpoint "+fReset.String(), func(t *testing.T) {
		t.Parallel()
		e := newAlida(t, faults.When(path(alidafake.TokenPath), faults.FirstN(2, fReset)),
			alida.ClientCredentials(alidafake.DemoClientID, alidafake.DemoClientSecret, ""))
		got, err := e.api.CollectQueued(t.Context(), time.Time{}, nil)
		require.NoError(t, err, "a failed token fetch is retried with the safe call")
		assert.Len(t, got, len(alidafake.DemoMembers))
		assert.Equal(t, 3, e.fake.TokenRequests(), "two tokens lost with their connection, one delivered")
		assert.Equal(t, 1, e.inj.Count(arrived(isQueued)), "the API call itself went out once")
	})
	t.Run(f500.String()+" is not retried", func(t *testing.T) {
		t.Parallel()
		e := newAlida(t, faults.When(isQueued, faults.Always(f500)), alidaBasic)
		_, err := e.api.CollectQueued(t.Context(), time.Time{}, nil)
		require.ErrorIs(t, err, alida.ErrServer)
		assert.Equal(t, 1, e.inj.Count(nil))
	})
	for _, f := range bodyFaults {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			e := newAlida(t, faults.When(isQueued, faults.FirstN(2, f)), alidaBasic)
			_, err := e.api.CollectQueued(t.Context(), time.Time{}, nil)
			require.NoError(t, err)
		})
	}
}

// Alida's event reports reach the server once per call whatever the fault.
func TestAlidaReportsAreSentOnce(t *testing.T) {
	t.Parallel()
	const trials = 50
	e := newAlida(t, nil, alidaBasic)
	member := alidafake.DemoMembers["alice@example.com"]
	for trial := range trials {
		kind := unsafeKinds[trial%len(unsafeKinds)]
		plan, ctx := unsafePlan(t, kind)
		api := e.api
		e.inj.Reset()
		e.inj.SetPlan(plan)
		ev := []alida.NewInvitationEvent{{MemberID: member, CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.InvitationEventTypeSurveyInvited}}
		var err error
		if trial%2 == 0 {
			_, err = api.ReportInvitations(ctx, ev)
		} else {
			_, err = api.ReportReminders(ctx, []alida.NewReminderEvent{{MemberID: member,
				CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.ReminderEventTypeReminded}})
		}
		require.Equal(t, 1, e.inj.Count(nil), "trial %d (%s): requests that reached the server", trial, kind)
		switch kind {
		case "none":
			// A second reminder of the same member is refused with 400;
			// either way the server answered.
			var ae *alida.APIError
			if err != nil {
				require.ErrorAs(t, err, &ae, "trial %d", trial)
			}
		case "reset", "drop", "hang":
			// gen/alida has no ErrOutcomeUnknown of its own: the
			// sentinel of internal/httpx is what the error matches.
			require.ErrorIs(t, err, httpx.ErrOutcomeUnknown, "trial %d (%s)", trial, kind)
			var re *alida.ReportError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, 0, re.First)
		case "partial", "truncate":
			require.Error(t, err, "trial %d (%s)", trial, kind)
		default:
			var ae *alida.APIError
			require.ErrorAs(t, err, &ae, "trial %d (%s)", trial, kind)
			assert.NotErrorIs(t, err, httpx.ErrOutcomeUnknown)
		}
	}
}

func TestAlidaBodyFaultIsOutcomeUnknown(t *testing.T) {
	for _, f := range bodyFaults {
		e := newAlida(t, faults.Always(f), alidaBasic)
		_, err := e.api.ReportInvitations(t.Context(), []alida.NewInvitationEvent{{MemberID: alidafake.DemoMembers["bob@example.com"],
			CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.InvitationEventTypeSurveyInvited}})
		require.ErrorIs(t, err, httpx.ErrOutcomeUnknown, f.String())
	}
}

func TestInvitarioSafeCallsSurviveFaults(t *testing.T) {
	for _, f := range slowClientFaults {
		t.Run("login/"+f.String(), func(t *testing.T) {
			t.Parallel()
			e := newInvitario(t, faults.When(path("/api/v1/login"), faults.FirstN(2, f)))
			s, err := e.api.Login(t.Context())
			require.NoError(t, err)
			assert.Equal(t, invitariofake.DemoStation, s.StationName)
			assert.Equal(t, 3, e.inj.Count(arrived(path("/api/v1/login"))))
			logins := 1
			if f == fReset {
				logins = 3 // the fake served the two logins whose answers were lost
			}
			assert.Equal(t, logins, e.fake.Logins())
		})
		t.Run("guests/"+f.String(), func(t *testing.T) {
			t.Parallel()
			e := newInvitario(t, faults.When(pathSuffix("/list/all"), faults.FirstN(2, f)))
			n := 0
			for _, err := range e.api.GuestsAll(t.Context(), nil) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, len(invitariofake.DemoGuests), n)
			assert.Equal(t, 3, e.inj.Count(arrived(pathSuffix("/list/all"))))
		})
		t.Run("recent/"+f.String(), func(t *testing.T) {
			t.Parallel()
			e := newInvitario(t, faults.When(pathSuffix("/list/recent"), faults.FirstN(2, f)))
			n := 0
			for _, err := range e.api.GuestsRecent(t.Context(), time.Now().Add(-time.Hour), nil) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, len(invitariofake.DemoGuests), n)
		})
	}
	for _, f := range bodyFaults {
		t.Run("login/"+f.String(), func(t *testing.T) {
			t.Parallel()
			e := newInvitario(t, faults.When(path("/api/v1/login"), faults.FirstN(2, f)))
			_, err := e.api.Login(t.Context())
			require.NoError(t, err)
		})
	}
}

// Logout is Invitario's one unsafe call: Close sends it once, whatever the
// fault.
func TestInvitarioLogoutIsSentOnce(t *testing.T) {
	t.Parallel()
	const trials = 20
	e := newInvitario(t, nil)
	isLogout := path("/api/v1/logout")
	for trial := range trials {
		kind := unsafeKinds[trial%len(unsafeKinds)]
		if kind == "hang" {
			kind = "drop" // see TestCancellationReturnsPromptly
		}
		api, err := invitario.New(invitarioDemo, invitario.WithBaseURL(e.url), invitario.WithTransport(newTransport(t)))
		require.NoError(t, err)
		e.inj.SetPlan(nil)
		_, err = api.Login(t.Context())
		require.NoError(t, err)
		e.inj.Reset()
		plan, _ := unsafePlan(t, kind)
		e.inj.SetPlan(faults.When(isLogout, plan))
		err = api.Close(t.Context())
		require.Equal(t, 1, e.inj.Count(arrived(isLogout)), "trial %d (%s)", trial, kind)
		switch kind {
		case "none":
			require.NoError(t, err)
		case "reset", "drop":
			require.ErrorIs(t, err, httpx.ErrOutcomeUnknown, "trial %d (%s)", trial, kind)
		default:
			require.Error(t, err, "trial %d (%s)", trial, kind)
			if kind != "partial" && kind != "truncate" {
				assert.NotErrorIs(t, err, httpx.ErrOutcomeUnknown)
			}
		}
		require.NoError(t, api.Close(t.Context()), "Close is done once")
	}
}

// A rate-limited answer exposes its Retry-After delay. gen/alida's and
// gen/invitario's *APIError have no field for it yet.
func TestAlidaAndInvitarioRateLimitedErrorsExposeDelay(t *testing.T) {
	// A Retry-After past the one-minute cap ends the retries at once.
	f := faults.Fault{Kind: faults.Status, Status: http.StatusTooManyRequests, RetryAfter: "120"}
	t.Run("alida", func(t *testing.T) {
		e := newAlida(t, faults.Always(f), alidaBasic)
		_, err := e.api.CollectQueued(t.Context(), time.Time{}, nil)
		require.ErrorIs(t, err, alida.ErrRateLimited)
		assert.Equal(t, 1, e.inj.Count(nil))
		d, ok := retryAfterOf(err)
		require.True(t, ok, "the error carries the Retry-After delay")
		assert.Equal(t, 120*time.Second, d)
	})
	t.Run("invitario", func(t *testing.T) {
		e := newInvitario(t, faults.Always(f))
		_, err := e.api.Login(t.Context())
		require.ErrorIs(t, err, invitario.ErrRateLimited)
		assert.Equal(t, 1, e.inj.Count(nil))
		d, ok := retryAfterOf(err)
		require.True(t, ok, "the error carries the Retry-After delay")
		assert.Equal(t, 120*time.Second, d)
	})
}

// cancelAfter returns a context that ends after d.
func cancelAfter(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), d)
	t.Cleanup(cancel)
	return ctx
}

// returnsWithin fails the test unless fn returns within limit: a generous
// bound, not a measure of speed.
func returnsWithin(t *testing.T, limit time.Duration, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(limit):
		t.Fatalf("the call did not return within %v of its context ending", limit)
		return nil
	}
}

// A call whose context ends returns promptly with the context's error,
// while the server is still sitting on the request.
func TestCancellationReturnsPromptly(t *testing.T) {
	const limit = 10 * time.Second
	const after = 100 * time.Millisecond
	t.Run("ivvy safe", func(t *testing.T) {
		t.Parallel()
		e := newIvvy(t, faults.Always(fHang))
		err := returnsWithin(t, limit, func() error { _, err := e.api.Ping(cancelAfter(t, after)); return err })
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("ivvy unsafe", func(t *testing.T) {
		t.Parallel()
		plan, ctx := unsafePlan(t, "hang")
		e := newIvvy(t, plan)
		err := returnsWithin(t, limit, func() error {
			_, err := e.api.InviteContacts(ctx, 1, []int64{7})
			return err
		})
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, httpx.ErrOutcomeUnknown, "the invitation was sent: it may have been made")
	})
	t.Run("ivvy unsafe timeout", func(t *testing.T) {
		t.Parallel()
		// The client's own timeout: long enough that the request is
		// surely written before it ends.
		e := newIvvy(t, faults.Always(fHang), ivvy.WithTimeout(3*time.Second))
		err := returnsWithin(t, limit, func() error {
			_, err := e.api.AddOrUpdateContact(t.Context(), ivvy.AddOrUpdateContactRequest{})
			return err
		})
		require.ErrorIs(t, err, context.DeadlineExceeded)
		assert.ErrorIs(t, err, httpx.ErrOutcomeUnknown)
	})
	t.Run("ivvy caller cancels", func(t *testing.T) {
		t.Parallel()
		e := newIvvy(t, faults.Always(fHang))
		ctx, cancel := context.WithCancel(t.Context())
		time.AfterFunc(after, cancel)
		err := returnsWithin(t, limit, func() error { _, err := e.api.GetEventList(ctx, ivvy.GetEventListRequest{}); return err })
		require.ErrorIs(t, err, context.Canceled)
	})
	t.Run("ivvy backoff", func(t *testing.T) {
		t.Parallel()
		// A backoff that would pass the deadline is not waited out: the
		// call returns after the first attempt, well before the deadline.
		// (The deadline is long enough for the first attempt to arrive
		// even on a loaded machine.)
		e := newIvvy(t, faults.Always(fDrop), ivvy.WithBackoff(time.Hour, time.Hour))
		start := time.Now()
		err := returnsWithin(t, limit, func() error { _, err := e.api.Ping(cancelAfter(t, limit/2)); return err })
		require.Error(t, err)
		assert.Less(t, time.Since(start), limit/4, "the deadline was not waited for")
		assert.Equal(t, 1, e.inj.Count(nil), "no second attempt: the wait would pass the deadline")
	})
	t.Run("alida", func(t *testing.T) {
		t.Parallel()
		e := newAlida(t, faults.Always(fHang), alidaBasic)
		err := returnsWithin(t, limit, func() error { _, err := e.api.CollectQueued(cancelAfter(t, after), time.Time{}, nil); return err })
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("alida report", func(t *testing.T) {
		t.Parallel()
		plan, ctx := unsafePlan(t, "hang")
		e := newAlida(t, plan, alidaBasic)
		err := returnsWithin(t, limit, func() error {
			_, err := e.api.ReportInvitations(ctx, []alida.NewInvitationEvent{{MemberID: alidafake.DemoMembers["carol@example.com"],
				CommunicationID: alidafake.DemoOpenCommunication, EventType: alida.InvitationEventTypeSurveyInvited}})
			return err
		})
		require.ErrorIs(t, err, context.Canceled)
		assert.ErrorIs(t, err, httpx.ErrOutcomeUnknown)
	})
	t.Run("alida token", func(t *testing.T) {
		t.Parallel()
		e := newAlida(t, faults.When(path(alidafake.TokenPath), faults.Always(fHang)),
			alida.ClientCredentials(alidafake.DemoClientID, alidafake.DemoClientSecret, ""))
		err := returnsWithin(t, limit, func() error { _, err := e.api.CollectQueued(cancelAfter(t, after), time.Time{}, nil); return err })
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("invitario list", func(t *testing.T) {
		t.Parallel()
		e := newInvitario(t, faults.When(pathSuffix("/list/all"), faults.Always(fHang)))
		err := returnsWithin(t, limit, func() error {
			for _, err := range e.api.GuestsAll(cancelAfter(t, after), nil) {
				if err != nil {
					return err
				}
			}
			return nil
		})
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("invitario login", func(t *testing.T) {
		t.Parallel()
		// The login runs on its own so that other callers can share it;
		// the client's timeout bounds it, and this test's short timeout
		// keeps goleak from seeing it.
		e := newInvitario(t, faults.When(path("/api/v1/login"), faults.Always(fHang)), invitario.WithTimeout(2*time.Second))
		err := returnsWithin(t, limit, func() error { _, err := e.api.Login(cancelAfter(t, after)); return err })
		require.ErrorIs(t, err, context.DeadlineExceeded)
	})
	t.Run("invitario close during login", func(t *testing.T) {
		t.Parallel()
		// A caller still waits for the login when Close comes: Close ends
		// the login instead of waiting out the 30s timeout.
		arrived := make(chan struct{})
		var once sync.Once
		hangLogin := func(r *http.Request) faults.Fault {
			if r.URL.Path != "/api/v1/login" {
				return faults.Fault{}
			}
			once.Do(func() { close(arrived) })
			return fHang
		}
		e := newInvitario(t, hangLogin, invitario.WithTimeout(30*time.Second))
		loginErr := make(chan error, 1)
		go func() { _, err := e.api.Login(t.Context()); loginErr <- err }()
		select {
		case <-arrived: // the login is under way
		case <-time.After(limit):
			t.Fatal("the login never reached the server")
		}
		err := returnsWithin(t, limit, func() error { return e.api.Close(cancelAfter(t, limit)) })
		require.NoError(t, err, "nothing to log out: the login never succeeded")
		select {
		case err := <-loginErr:
			require.Error(t, err, "the waiting caller learns the login ended")
		case <-time.After(limit):
			t.Fatal("the caller waiting for the login was not released")
		}
		_, err = e.api.Login(t.Context())
		require.ErrorIs(t, err, invitario.ErrClosed)
	})
}

// Every client caps what it reads of an answer and says so with
// *httpx.TooLargeError; Invitario's streamed lists cap each guest instead.
func TestResponseBodiesAreCapped(t *testing.T) {
	t.Run("ivvy", func(t *testing.T) {
		e := newIvvy(t, nil, ivvy.WithMaxResponseBytes(100))
		_, err := e.api.GetEventList(t.Context(), ivvy.GetEventListRequest{})
		var tl *ivvy.TooLargeError
		require.ErrorAs(t, err, &tl)
		assert.EqualValues(t, 100, tl.Limit)
		_, err = e.api.Ping(t.Context())
		require.NoError(t, err, "a small answer is read whole")
	})
	t.Run("alida", func(t *testing.T) {
		e := newAlida(t, nil, alidaBasic, alida.WithMaxResponseBytes(100))
		_, err := e.api.CollectQueued(t.Context(), time.Time{}, nil)
		var tl *httpx.TooLargeError
		require.ErrorAs(t, err, &tl)
		assert.EqualValues(t, 100, tl.Limit)
	})
	t.Run("invitario login", func(t *testing.T) {
		e := newInvitario(t, nil, invitario.WithMaxResponseBytes(100))
		_, err := e.api.Login(t.Context())
		var tl *httpx.TooLargeError
		require.ErrorAs(t, err, &tl)
		assert.EqualValues(t, 100, tl.Limit)
	})
	t.Run("invitario guest", func(t *testing.T) {
		// Login's answer is read whole under the default cap; only the
		// list's guests meet the 64-byte one.
		e := newInvitario(t, nil, invitario.WithMaxGuestBytes(64))
		var err error
		n := 0
		for _, err = range e.api.GuestsAll(t.Context(), nil) {
			if err != nil {
				break
			}
			n++
		}
		var tl *httpx.TooLargeError
		require.ErrorAs(t, err, &tl)
		assert.EqualValues(t, 64, tl.Limit, "the guest cap, not the answer's")
		assert.Contains(t, err.Error(), "guestListAll")
		assert.Zero(t, n)
	})
	t.Run("invitario list is not capped as a whole", func(t *testing.T) {
		e := newInvitario(t, nil, invitario.WithMaxGuestBytes(4096), invitario.WithMaxResponseBytes(2048))
		n := 0
		for _, err := range e.api.GuestsAll(t.Context(), nil) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, len(invitariofake.DemoGuests), n)
	})
}
