package e2e

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptrace"
	"sync/atomic"
	"testing"
	"time"

	openapi_types "github.com/oapi-codegen/runtime/types"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/invitekit/invitekit/gen/ivvy"
	"github.com/invitekit/invitekit/internal/faults"
)

// ivvyOp is one iVvy call, named by its action.
type ivvyOp struct {
	action string
	call   func(ctx context.Context, api *ivvy.API) error
}

// ivvySafeOps are read operations on the demo data.
var ivvySafeOps = []ivvyOp{
	{"ping", func(ctx context.Context, api *ivvy.API) error { _, err := api.Ping(ctx); return err }},
	{"getEvent", func(ctx context.Context, api *ivvy.API) error {
		_, err := api.GetEvent(ctx, ivvy.GetEventRequest{ID: 1})
		return err
	}},
	{"getEventList", func(ctx context.Context, api *ivvy.API) error {
		_, err := api.GetEventList(ctx, ivvy.GetEventListRequest{})
		return err
	}},
	{"getContact", func(ctx context.Context, api *ivvy.API) error {
		_, err := api.GetContact(ctx, ivvy.GetContactRequest{ID: 1})
		return err
	}},
	{"getInvitedContactList", func(ctx context.Context, api *ivvy.API) error {
		_, err := api.GetInvitedContactList(ctx, ivvy.GetInvitedContactListRequest{EventID: 1})
		return err
	}},
}

// ivvyUnsafeOps change state; trial numbers each call so that every call
// is a new request.
var ivvyUnsafeOps = []struct {
	action string
	call   func(ctx context.Context, api *ivvy.API, trial int) error
}{
	{"inviteContacts", func(ctx context.Context, api *ivvy.API, trial int) error {
		_, err := api.InviteContacts(ctx, 1, []int64{int64(7 + trial%18)})
		return err
	}},
	{"addOrUpdateContact", func(ctx context.Context, api *ivvy.API, trial int) error {
		first, last := "Trial", fmt.Sprintf("Number%d", trial)
		email := openapi_types.Email(fmt.Sprintf("trial%d@example.com", trial))
		_, err := api.AddOrUpdateContact(ctx, ivvy.AddOrUpdateContactRequest{FirstName: &first, LastName: &last, Email: &email})
		return err
	}},
	{"addOrUpdateEvent", func(ctx context.Context, api *ivvy.API, trial int) error {
		id, title := int64(1), fmt.Sprintf("Product Launch, take %d", trial)
		_, err := api.AddOrUpdateEvent(ctx, ivvy.AddOrUpdateEventRequest{ID: &id, Title: &title})
		return err
	}},
	{"createLoginToken", func(ctx context.Context, api *ivvy.API, _ int) error {
		_, err := api.CreateLoginToken(ctx, ivvy.CreateLoginTokenRequest{Event: 1, Contact: 1})
		return err
	}},
	{"run", func(ctx context.Context, api *ivvy.API, _ int) error {
		_, err := api.BatchRun(ctx, ivvy.BatchRunRequest{CallbackURL: "https://callback.example.com/ivvy",
			Jobs: []ivvy.BatchJob{{Namespace: "test", Action: "ping", Params: map[string]any{}}}})
		return err
	}},
}

// Safe operations succeed when they meet fewer faults than they have
// attempts; every attempt reaches the server.
func TestIvvySafeOperationsSurviveFaults(t *testing.T) {
	for _, op := range ivvySafeOps {
		for _, f := range retryableFaults {
			t.Run(op.action+"/"+f.String(), func(t *testing.T) {
				e := newIvvy(t, faults.When(action(op.action), faults.FirstN(2, f)))
				require.NoError(t, op.call(t.Context(), e.api))
				assert.Equal(t, 3, e.inj.Count(arrived(action(op.action))), "two faulty attempts and a good one")
			})
		}
		t.Run(op.action+"/slow headers", func(t *testing.T) {
			e := newIvvy(t, faults.When(action(op.action), faults.FirstN(1, fSlow)))
			require.NoError(t, op.call(t.Context(), e.api))
			assert.Equal(t, 1, e.inj.Count(arrived(action(op.action))), "a slow answer is waited for, not retried")
		})
	}
}

// A connection broken while the answer's body is read is a connection
// error like any other: a safe operation is tried again.
func TestIvvySafeOperationsSurviveBodyFaults(t *testing.T) {
	for _, op := range ivvySafeOps {
		for _, f := range bodyFaults {
			t.Run(op.action+"/"+f.String(), func(t *testing.T) {
				e := newIvvy(t, faults.When(action(op.action), faults.FirstN(2, f)))
				require.NoError(t, op.call(t.Context(), e.api))
				assert.Equal(t, 3, e.inj.Count(arrived(action(op.action))))
			})
		}
	}
}

// As many faults as attempts: the last failure is returned, after exactly
// MaxAttempts requests; a 500 is not retried at all.
func TestIvvyRetriesAreBounded(t *testing.T) {
	for _, tc := range []struct {
		f        faults.Fault
		attempts int
		is       error
	}{
		{f503, 3, ivvy.ErrServer},
		{f429, 3, ivvy.ErrRateLimited},
		{fReset, 3, nil},
		{f500, 1, ivvy.ErrServer},
	} {
		t.Run(tc.f.String(), func(t *testing.T) {
			e := newIvvy(t, faults.When(action("getEvent"), faults.Always(tc.f)))
			_, err := e.api.GetEvent(t.Context(), ivvy.GetEventRequest{ID: 1})
			require.Error(t, err)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.NotErrorIs(t, err, ivvy.ErrOutcomeUnknown, "a safe call's outcome is never in doubt")
			assert.Equal(t, tc.attempts, e.inj.Count(nil))
		})
	}
	t.Run("WithMaxAttempts(5)", func(t *testing.T) {
		e := newIvvy(t, faults.FirstN(4, fDrop), ivvy.WithMaxAttempts(5))
		_, err := e.api.Ping(t.Context())
		require.NoError(t, err)
		assert.Equal(t, 5, e.inj.Count(nil))
	})
	t.Run("WithMaxAttempts(1)", func(t *testing.T) {
		e := newIvvy(t, faults.FirstN(1, f503), ivvy.WithMaxAttempts(1))
		_, err := e.api.Ping(t.Context())
		require.ErrorIs(t, err, ivvy.ErrServer)
		assert.Equal(t, 1, e.inj.Count(nil))
	})
}

// unsafeKinds are the faults every unsafe call meets in turn; "hang" is
// an answer that never comes, met by a caller that gives up (see
// hangUntilCancel).
var unsafeKinds = []string{"none", "reset", "drop", "503", "429", "500", "502", "hang", "partial", "truncate"}

var unsafeFaults = map[string]faults.Fault{
	"reset": fReset, "drop": fDrop, "503": f503, "429": f429, "500": f500, "502": f502,
	"partial": fPartial, "truncate": fTruncate,
}

// unsafePlan returns the plan and the call context for a trial of kind:
// for "hang", a context that is cancelled once the server has the request,
// which it never answers, and the client has seen it written. (A timeout
// set before the call could end it before the request is written on a
// loaded machine, which would rightly not be an unknown outcome.)
func unsafePlan(t *testing.T, kind string) (faults.Plan, context.Context) {
	if kind != "hang" {
		return faults.Always(unsafeFaults[kind]), t.Context()
	}
	ctx, cancel := context.WithCancel(t.Context())
	t.Cleanup(cancel)
	var seen atomic.Int32 // by the server and by the client
	both := func() {
		if seen.Add(1) == 2 {
			cancel()
		}
	}
	ctx = httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{WroteRequest: func(httptrace.WroteRequestInfo) { both() }})
	return func(*http.Request) faults.Fault {
		both()
		return fHang
	}, ctx
}

// Unsafe operations reach the server exactly once per call whatever the
// fault, and a fault after the request was sent is an unknown outcome.
func TestIvvyUnsafeOperationsAreSentOnce(t *testing.T) {
	const trials = 50
	for _, op := range ivvyUnsafeOps {
		t.Run(op.action, func(t *testing.T) {
			t.Parallel()
			e := newIvvy(t, nil)
			forwarded := 0
			for trial := range trials {
				kind := unsafeKinds[trial%len(unsafeKinds)]
				plan, ctx := unsafePlan(t, kind)
				e.inj.Reset()
				e.inj.SetPlan(plan)
				err := op.call(ctx, e.api, trial)
				require.Equal(t, 1, e.inj.Count(nil), "trial %d (%s): requests that reached the server", trial, kind)
				switch kind {
				case "none":
					require.NoError(t, err, "trial %d", trial)
					forwarded++
				case "reset", "drop", "hang":
					// Drop and hang never reach the fake's handler;
					// the client cannot tell drop from reset.
					require.ErrorIs(t, err, ivvy.ErrOutcomeUnknown, "trial %d (%s)", trial, kind)
					var oe *ivvy.OutcomeUnknownError
					require.ErrorAs(t, err, &oe)
					assert.Equal(t, op.action, trimAction(oe.Operation))
					assert.Contains(t, err.Error(), "outcome unknown")
					switch kind {
					case "hang":
						assert.ErrorIs(t, err, context.Canceled)
					case "reset":
						forwarded++
					}
				case "partial", "truncate":
					require.Error(t, err, "trial %d (%s)", trial, kind)
					forwarded++
				default:
					var ae *ivvy.APIError
					require.ErrorAs(t, err, &ae, "trial %d (%s)", trial, kind)
					assert.NotErrorIs(t, err, ivvy.ErrOutcomeUnknown, "an answer, even an error, is a known outcome")
					if kind == "429" {
						assert.ErrorIs(t, err, ivvy.ErrRateLimited)
					} else {
						assert.ErrorIs(t, err, ivvy.ErrServer)
					}
				}
			}
			// The fake counts what it served: the faults that cut the
			// answer, not the request, let it through.
			assert.Equal(t, forwarded, e.fake.Calls(op.action), "calls the fake served")
		})
	}
}

// trimAction maps the operation ids the client logs to the action the
// fake counts (batchRun is action "run").
func trimAction(op string) string {
	if op == "batchRun" {
		return "run"
	}
	return op
}

// A connection broken while the answer of an unsafe call is read leaves
// its outcome unknown: iVvy answers some failures with HTTP 200, so even a
// 200 status does not tell that the call took effect.
func TestIvvyUnsafeBodyFaultIsOutcomeUnknown(t *testing.T) {
	for _, op := range ivvyUnsafeOps {
		for _, f := range bodyFaults {
			t.Run(op.action+"/"+f.String(), func(t *testing.T) {
				e := newIvvy(t, faults.Always(f))
				err := op.call(t.Context(), e.api, 0)
				assert.Equal(t, 1, e.inj.Count(nil))
				require.ErrorIs(t, err, ivvy.ErrOutcomeUnknown)
			})
		}
	}
}

// A rate-limited answer exposes its Retry-After delay, in seconds or as an
// HTTP date; a delay past the cap ends the retries at once.
func TestIvvyRateLimitedErrorExposesDelay(t *testing.T) {
	t.Run("seconds", func(t *testing.T) {
		e := newIvvy(t, faults.Always(faults.Fault{Kind: faults.Status, Status: 429, RetryAfter: "7"}), ivvy.WithMaxAttempts(1))
		_, err := e.api.Ping(t.Context())
		require.ErrorIs(t, err, ivvy.ErrRateLimited)
		d, ok := retryAfterOf(err)
		require.True(t, ok)
		assert.Equal(t, 7*time.Second, d)
	})
	t.Run("HTTP date", func(t *testing.T) {
		// The date is read against the client's clock (the fault answers
		// before the fake, which would find the signature stale).
		at := optClock().Add(30 * time.Second).Format(http.TimeFormat)
		e := newIvvy(t, faults.Always(faults.Fault{Kind: faults.Status, Status: 429, RetryAfter: at}), ivvy.WithMaxAttempts(1), ivvy.WithClock(optClock))
		_, err := e.api.Ping(t.Context())
		require.ErrorIs(t, err, ivvy.ErrRateLimited)
		d, ok := retryAfterOf(err)
		require.True(t, ok)
		assert.Equal(t, 30*time.Second, d)
	})
	t.Run("past the cap", func(t *testing.T) {
		e := newIvvy(t, faults.Always(faults.Fault{Kind: faults.Status, Status: 429, RetryAfter: "120"}))
		start := time.Now()
		_, err := e.api.Ping(t.Context())
		require.ErrorIs(t, err, ivvy.ErrRateLimited)
		d, _ := retryAfterOf(err)
		assert.Equal(t, 120*time.Second, d)
		assert.Equal(t, 1, e.inj.Count(nil), "a Retry-After past the cap is not waited for")
		assert.Less(t, time.Since(start), 30*time.Second)
	})
}
